/** Test helper: the orchestrator's checks of each workload's answer, for every port of the app. */
import assert from 'node:assert/strict';
import { worldRandomNumber } from '@stackbench/database';

export const plaintextFormat = /^Hello, World!$/;
export const jsonFormat = /^\{\s*"message"\s*:\s*"Hello, World!"\s*\}$/;

/** A /db body: one row or an array of `count` rows, each the table's (`worldRandomNumber`). */
export function checkRows(body: string, count: number | null, rows: number): void {
  const parsed = JSON.parse(body) as unknown;
  const list = count === null ? [parsed] : (parsed as unknown[]);
  if (count !== null) assert.ok(Array.isArray(parsed), `an array: ${body}`);
  assert.equal(list.length, count ?? 1, body);
  for (const row of list as { id: unknown; randomNumber: unknown }[]) {
    assert.deepEqual(Object.keys(row).sort(), ['id', 'randomNumber']);
    assert.equal(typeof row.id, 'number');
    assert.ok(Number.isInteger(row.id) && (row.id as number) >= 1 && (row.id as number) <= rows);
    assert.equal(row.randomNumber, worldRandomNumber(row.id as number), body);
  }
}
