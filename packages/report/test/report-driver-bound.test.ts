/**
 * The driver-bound flag: a window whose rate reaches the set's share of threads × the per-thread
 * ceiling is counted per cell and shown beside the host's saturation (ranking table, the stack's
 * note, the prose with the ceiling); a slower cell is not; a set without a ceiling says the flag
 * was not assessed. The rule itself: offered rate in an open loop, achieved in a closed one.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import type { DriverCeiling, SampleWindow } from '@stackbench/result';
import {
  buildReport,
  isDriverBound,
  readResultSet,
  stackCellsOfSet,
  threadsNeeded,
} from '../src/index.js';
import { cycle, type WindowSpec, writeSyntheticSet } from './fixtures/synthetic-set.js';

const scratch = mkdtempSync(join(tmpdir(), 'stackbench-driver-bound-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

const PER_THREAD = 1000;
const ceiling: DriverCeiling = {
  boundPct: 70,
  hosts: [
    {
      host: 'local',
      perThreadRps: PER_THREAD,
      rps: PER_THREAD,
      threads: 1,
      connectionsPerThread: 64,
      durationS: 1.5,
      serverProcesses: 1,
      driverCpuPercent: 100,
      maxEventLoopUtilization: 1,
      hostCpuBusyPercent: 97,
      at: '2026-01-01T00:00:00.000Z',
    },
  ],
};
// the synthetic windows run one load thread: bound from 70 % of 1000 req/s
const at = (rps: number, k = 4): WindowSpec[] =>
  Array.from({ length: k }, (_, i) => ({ users: 50, rps: rps + i, med: 5, p95: 8 }));

describe('the driver-bound flag', () => {
  const sets = {
    with: writeSyntheticSet({
      dir: join(scratch, 'with'),
      stacks: { fast: at(0.9 * PER_THREAD), slow: at(0.3 * PER_THREAD) },
      driverCeiling: ceiling,
    }),
    without: writeSyntheticSet({
      dir: join(scratch, 'without'),
      stacks: { fast: at(0.9 * PER_THREAD), slow: at(0.3 * PER_THREAD) },
    }),
  };

  test('cells count their driver-bound windows against the set ceiling', () => {
    const set = readResultSet(sets.with);
    const count = (name: string) =>
      stackCellsOfSet(
        set.stacks.find((s) => s.stack.name === name)!,
        set.manifest.driverCeiling,
      )[0]!.driverBoundWindows;
    assert.equal(count('fast'), 4);
    assert.equal(count('slow'), 0);
    const old = readResultSet(sets.without);
    assert.equal(
      stackCellsOfSet(old.stacks[0]!, old.manifest.driverCeiling)[0]!.driverBoundWindows,
      0,
    );
  });

  test('the report flags the fast stack beside saturation, and explains it with the ceiling', async () => {
    await buildReport(sets.with);
    const text = readFileSync(join(sets.with, 'report.md'), 'utf8');
    const row = (name: string) =>
      text.split('\n').find((l) => l.startsWith('|') && l.includes(` ${name} `))!;
    assert.match(row('fast'), /driver-bound 4\/4/);
    assert.doesNotMatch(row('slow'), /driver-bound/);
    assert.match(
      text,
      /driver-bound: windows whose rate \(offered in an open loop, achieved in a closed one\) reached 70 %/,
    );
    assert.match(text, /1,000 req\/s per load thread on local/);
    assert.match(
      text,
      /driver-bound \(the rate reached the share[^)]*\) in windows at 50 CUs \(4 of 4\)/,
    );
  });

  test('a set without a ceiling says the flag was not assessed', async () => {
    await buildReport(sets.without);
    const text = readFileSync(join(sets.without, 'report.md'), 'utf8');
    assert.match(text, /driver-bound: not assessed/);
    assert.doesNotMatch(text, /driver-bound \d/);
  });

  test('open loop: the offered rate counts, not the achieved; threads scale the bound', () => {
    const spec: WindowSpec = { users: 10, rps: 100, med: 5, p95: 8 };
    const base = cycle(spec);
    const open = (offeredRps: number, threads = 1) =>
      ({
        offeredRps,
        load: {
          cycles: [{ ...base, driverCpu: { ...base.driverCpu, threads } }],
        },
      }) as unknown as SampleWindow;
    assert.equal(isDriverBound(open(800), ceiling), true, '800 offered of 1000');
    assert.equal(isDriverBound(open(800, 2), ceiling), false, '800 offered over 2 threads');
    assert.equal(isDriverBound(open(600), ceiling), false);
    assert.equal(isDriverBound(open(800), undefined), false, 'no ceiling, no flag');
    assert.equal(threadsNeeded(ceiling, 2100), 3);
    assert.equal(threadsNeeded(ceiling, 700), 1);
    assert.equal(threadsNeeded(undefined, 700), null);
  });
});
