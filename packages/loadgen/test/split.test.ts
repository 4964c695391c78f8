/**
 * The one split of a load (threads and driver hosts): users as evenly as whole users go, an open
 * loop's rate in equal shares that together are the whole schedule, connections as users; every
 * split adds up to what was split, has no negative share and is the same every time.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LoadOptionError } from '../src/errors.js';
import type { OpenLoopOptions } from '../src/load-options.js';
import { arrivalSchedule } from '../src/open-loop/arrivals.js';
import { type LoadShare, splitLoad, splitRate, splitUsers } from '../src/split.js';
import { openLoopOptions, testOptions } from './fixtures/options.js';

const total = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

describe('split of a closed loop: users', () => {
  it('as evenly as whole users go, the first parts taking the remainder', () => {
    assert.deepEqual(splitUsers(3, 2), [2, 1]);
    assert.deepEqual(splitUsers(4, 2), [2, 2]);
    assert.deepEqual(splitUsers(1, 3), [1, 0, 0]);
    for (const users of [1, 7, 50, 401]) {
      for (const parts of [1, 2, 3, 5]) {
        const shares = splitUsers(users, parts);
        assert.equal(total(shares), users, `${users} over ${parts}`);
        assert.ok(shares.every((n) => n >= 0 && Number.isInteger(n)));
        assert.ok(Math.max(...shares) - Math.min(...shares) <= 1);
        assert.deepEqual(splitUsers(users, parts), shares, 'deterministic');
      }
    }
  });

  it('splitLoad: one part per host, threads capped at its users, empty parts sit out', () => {
    const options = testOptions('http://127.0.0.1:1/', { cycles: [3], threads: 2 });
    const parts = splitLoad(options, 4);
    assert.deepEqual(
      parts.map((p) => p?.users ?? null),
      [1, 1, 1, null],
    );
    for (const p of parts.slice(0, 3)) {
      assert.deepEqual(p?.options, { ...options, cycles: [1], threads: 1 });
      assert.equal(p?.phaseMs, 0);
    }
    assert.deepEqual(
      splitLoad({ ...options, cycles: [5] }, 2).map((p) => p?.options.threads),
      [2, 2],
    );
  });
});

describe('split of an open loop: the rate, and the connections', () => {
  it('equal shares of the rate that add up to it, none negative, deterministic', () => {
    for (const rate of [1, 100, 101, 333.3, 1_000_000]) {
      for (const parts of [1, 2, 3, 7]) {
        const shares = splitRate(rate, parts, 'uniform');
        const sum = total(shares.map((s) => s.ratePerS));
        assert.ok(Math.abs(sum - rate) <= rate * 1e-12, `${rate} over ${parts}: ${sum}`);
        assert.ok(shares.every((s) => s.ratePerS > 0 && s.phaseMs >= 0));
        assert.deepEqual(splitRate(rate, parts, 'uniform'), shares, 'deterministic');
      }
    }
    // Poisson shares are independent processes: no phase
    assert.ok(splitRate(100, 3, 'poisson').every((s) => s.phaseMs === 0));
  });

  it('uniform shares take turns: together exactly the one-part schedule', () => {
    const rate = 300;
    for (const parts of [2, 3, 5]) {
      const merged = splitRate(rate, parts, 'uniform')
        .flatMap((share) => Array.from({ length: 60 }, arrivalSchedule('uniform', 0, share).next))
        .sort((a, b) => a - b);
      const single = splitRate(rate, 1, 'uniform')[0]!;
      const whole = Array.from({ length: 60 * parts }, arrivalSchedule('uniform', 0, single).next);
      for (const [k, t] of merged.entries()) assert.ok(Math.abs(t - whole[k]!) < 1e-9, `${k}`);
    }
  });

  it('nested, as threads inside driver hosts: still exactly the whole grid', () => {
    // 2 hosts × 3 threads: each host's share split again, its phase added to its threads'
    const times = splitRate(600, 2, 'uniform').flatMap((host) =>
      splitRate(host.ratePerS, 3, 'uniform').flatMap((thread) =>
        Array.from({ length: 50 }, arrivalSchedule('uniform', host.phaseMs, thread).next),
      ),
    );
    times.sort((a, b) => a - b);
    for (const [k, t] of times.entries()) assert.ok(Math.abs(t - (k * 1000) / 600) < 1e-9);
  });

  it('splitLoad: rate, connections and pool limit add up; parts without a connection sit out', () => {
    const options = openLoopOptions('http://127.0.0.1:1/', {
      rates: [250],
      connections: 5,
      maxConnections: 9,
      threads: 4,
    });
    const parts = splitLoad(options, 2);
    const open = parts.map((p) => p?.options as OpenLoopOptions);
    assert.ok(Math.abs(total(open.map((o) => o.rates[0]!)) - 250) < 1e-9);
    assert.deepEqual(
      open.map((o) => [o.connections, o.maxConnections, o.threads, o.arrivals]),
      [
        [3, 5, 3, 'uniform'],
        [2, 4, 2, 'uniform'],
      ],
    );
    assert.deepEqual(
      parts.map((p) => p?.phaseMs),
      [0, 1000 / 250],
    );
    // 2 connections over 3 hosts: the third has none and sits out; the rate goes to the two
    const few = splitLoad({ ...options, connections: 2, maxConnections: 2 }, 3);
    assert.equal(few[2], null);
    assert.deepEqual(
      few
        .slice(0, 2)
        .map((p) => (p as LoadShare).options as OpenLoopOptions)
        .map((o) => o.rates[0]),
      [125, 125],
    );
    // the default pool limit is split, never below a part's connections
    const defaults = splitLoad({ ...options, maxConnections: undefined }, 3);
    for (const p of defaults) {
      const o = p?.options as OpenLoopOptions;
      assert.ok((o.maxConnections as number) >= o.connections);
    }
    assert.equal(
      total(
        defaults.map((p) => ((p as LoadShare).options as OpenLoopOptions).maxConnections as number),
      ),
      1000,
    );
  });

  it('a split load is one cycle; anything else is refused naming the option', () => {
    assert.throws(
      () => splitLoad(openLoopOptions('http://127.0.0.1:1/', { rates: [10, 20] }), 2),
      (e) =>
        e instanceof LoadOptionError && /rates: a split load is one cycle, got 2/.test(e.message),
    );
    assert.throws(
      () => splitLoad(testOptions('http://127.0.0.1:1/', { cycles: [1, 2] }), 2),
      (e) => e instanceof LoadOptionError && e.option === 'cycles',
    );
    assert.throws(
      () => splitLoad(testOptions('http://127.0.0.1:1/'), 0),
      (e) => e instanceof LoadOptionError && /1 or more parts, got 0/.test(e.message),
    );
  });
});
