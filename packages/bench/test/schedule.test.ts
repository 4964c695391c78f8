import assert from 'node:assert/strict';
import { test } from 'node:test';
import { planSchedule } from '../src/set/schedule.js';

const input = {
  stacks: ['a', 'b', 'c'],
  levels: [10, 20],
  samples: 4,
  interleave: true,
  seed: 42,
};
const key = (w: { stack: string; level: number }) => `${w.stack}@${w.level}`;

test('interleaved: K rounds, each with every cell once, shuffled from the seed', () => {
  const plan = planSchedule(input);
  assert.deepEqual(
    plan.map((r) => r.round),
    [1, 2, 3, 4],
  );
  const cells = ['a@10', 'a@20', 'b@10', 'b@20', 'c@10', 'c@20'];
  for (const round of plan) {
    assert.deepEqual([...round.stacks].sort(), ['a', 'b', 'c'], 'every stack starts');
    assert.deepEqual(round.windows.map(key).sort(), cells, 'a permutation of the cells');
  }
  // the start order is shuffled per round: which stack starts last must not be the same one
  const starts = new Set(planSchedule({ ...input, samples: 12 }).map((r) => r.stacks.join(' ')));
  assert.ok(starts.size > 1, 'start orders differ across rounds');
  const orders = new Set(plan.map((r) => r.windows.map(key).join(' ')));
  assert.ok(orders.size > 1, 'rounds are shuffled independently');
  assert.ok(
    plan.some((r) => r.windows.map(key).join(' ') !== cells.join(' ')),
    'not the profile order',
  );
});

test('the same seed gives the same plan; another seed another one', () => {
  assert.deepEqual(planSchedule(input), planSchedule({ ...input }));
  assert.notDeepEqual(planSchedule(input), planSchedule({ ...input, seed: 43 }));
});

test('sequential: one round per stack, holding its K × levels windows, shuffled', () => {
  const plan = planSchedule({ ...input, interleave: false });
  assert.equal(plan.length, 3);
  assert.deepEqual(plan.map((r) => r.stacks[0]).sort(), ['a', 'b', 'c']);
  for (const round of plan) {
    assert.equal(round.stacks.length, 1);
    assert.equal(round.windows.length, 8);
    assert.ok(round.windows.every((w) => w.stack === round.stacks[0]));
    assert.equal(round.windows.filter((w) => w.level === 10).length, 4);
  }
});
