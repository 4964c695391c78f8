import assert from 'node:assert/strict';
import { test } from 'node:test';
import { WORLD_MAX_NUMBER, WORLD_MAX_ROWS, worldRandomNumber } from '../src/world.js';

test('worldRandomNumber: integers in 1..10000 for every id, spread over the range', () => {
  const seen = new Set<number>();
  for (const id of [1, 2, 3, 9999, 10_000, 123_457, WORLD_MAX_ROWS]) {
    const n = worldRandomNumber(id);
    assert.ok(Number.isInteger(n) && n >= 1 && n <= WORLD_MAX_NUMBER, `id ${id} → ${n}`);
  }
  for (let id = 1; id <= 10_000; id++) seen.add(worldRandomNumber(id));
  // a random mapping of 10,000 ids onto 10,000 values hits about 63 % of them; a weak hash
  // (a constant, a few stripes) far fewer
  assert.ok(seen.size > 5_000, `${seen.size} distinct values`);
});

test('worldRandomNumber is the arithmetic the SQL fill does, in exact integers', () => {
  // (id × 2654435761) mod 2^32, xor its top 16 bits down, mod 10000, + 1: BigInt as a referee
  for (const id of [1, 77, 65_536, 999_999, WORLD_MAX_ROWS]) {
    const x = (BigInt(id) * 2_654_435_761n) % 4_294_967_296n;
    const want = Number(((x ^ (x >> 16n)) % 10_000n) + 1n);
    assert.equal(worldRandomNumber(id), want, `id ${id}`);
  }
});
