/**
 * The adaptive window's rule (`src/window-sizing.ts`) on synthetic counter readings: when two
 * blocks are steady, and which term sizes the window. No load, no clock.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AdaptiveWindowOptions } from '../src/index.js';
import { planWindow, SteadyStateRule } from '../src/window-sizing.js';

const USERS = 4;

const adaptive = (over: Partial<AdaptiveWindowOptions> = {}): AdaptiveWindowOptions => ({
  responsesPerUser: 20,
  minRequests: 50,
  maxDurationS: 5,
  maxWarmupS: 5,
  ...over,
});

describe('the steady-state rule and the plan (synthetic counters)', () => {
  /** Readings every 50 ms of a counter growing at `rate(t)` requests/s, all users responded. */
  const feed = (rule: SteadyStateRule, seconds: number, rate: (s: number) => number) => {
    let completed = 0;
    for (let ms = 0; ms <= seconds * 1000; ms += 50) {
      rule.add({ atMs: ms, completed, responded: USERS });
      completed += (rate(ms / 1000) * 50) / 1000;
    }
  };

  it('a constant rate is steady once two blocks fit; a falling one is not', () => {
    // 100/s, 4 users, no think time: R = 40 ms, B = max(0.2, 0.02, 25 / 100) = 0.25 s, counted
    // from the first completion (the reading at 50 ms)
    const early = new SteadyStateRule(USERS, 0);
    feed(early, 0.5, () => 100);
    assert.equal(early.check(), null, 'two 0.25 s blocks do not fit in the 0.45 s since');
    const steady = new SteadyStateRule(USERS, 0);
    feed(steady, 1.05, () => 100);
    const blocks = steady.check()!;
    assert.ok(Math.abs(blocks.blockS - 0.25) < 1e-9, `B ${blocks.blockS}`);
    assert.equal(blocks.steady, true);
    // 1000/s halving at 1 s: B = 0.2 s, 200 then 100 completions, a gap of 500/s against
    // 0.15 × 750 + 2 × sqrt(300) / 0.2 = 286/s allowed
    const falling = new SteadyStateRule(USERS, 0);
    feed(falling, 1.2, (s) => (s < 1 ? 1000 : 500));
    assert.equal(falling.check()?.steady, false);
  });

  it('waits for every user to respond', () => {
    const rule = new SteadyStateRule(USERS, 0);
    for (let ms = 0; ms <= 1100; ms += 50) {
      rule.add({ atMs: ms, completed: ms / 10, responded: USERS - 1 });
    }
    assert.equal(rule.check()?.steady, false);
  });

  it('plans by responses, requests, the minimum or the maximum', () => {
    const block = { blockS: 0.5, rps: 100 }; // 4 users: R = 40 ms
    const plan = (over: Partial<AdaptiveWindowOptions>, durationS = 0.2, thinkS = 0) =>
      planWindow(adaptive(over), durationS, USERS, thinkS, block);
    assert.deepEqual(plan({}), { plannedS: 0.8, sizedBy: 'responses', responseS: 0.04 });
    assert.equal(plan({ minRequests: 200 }).sizedBy, 'requests');
    assert.equal(plan({ minRequests: 200 }).plannedS, 2);
    assert.deepEqual(plan({}, 1), { plannedS: 1, sizedBy: 'minimum', responseS: 0.04 });
    assert.deepEqual(plan({ maxDurationS: 0.5 }), {
      plannedS: 0.5,
      sizedBy: 'maximum',
      responseS: 0.04,
    });
    // think time is not response time: 4 users at 100/s with 10 ms think → R = 30 ms
    assert.equal(plan({}, 0.2, 0.01).responseS.toFixed(3), '0.030');
    // nothing completed: the bound decides
    const none = planWindow(adaptive(), 0.2, USERS, 0, { blockS: 0.3, rps: 0 });
    assert.equal(none.sizedBy, 'maximum');
  });
});
