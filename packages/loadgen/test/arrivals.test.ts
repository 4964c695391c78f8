import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { arrivalSchedule } from '../src/open-loop/arrivals.js';
import { splitRate } from '../src/split.js';

/** Part `part` of `parts` of `rate`, as the load threads and driver hosts split it. */
const share = (rate: number, parts: number, part: number, kind: 'uniform' | 'poisson') =>
  splitRate(rate, parts, kind)[part]!;

const take = (n: number, next: () => number) => Array.from({ length: n }, next);

/** A seeded generator (mulberry32), so the Poisson checks are reproducible. */
function seeded(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('arrival schedules', () => {
  it('uniform: exactly one every 1/rate from the start, without drift', () => {
    const s = arrivalSchedule('uniform', 1000, share(300, 1, 0, 'uniform'));
    const times = take(30_001, s.next);
    assert.equal(times[0], 1000);
    assert.ok(Math.abs(times[30_000]! - (1000 + 100_000)) < 1e-6, `${times[30_000]}`);
    for (let k = 1; k < times.length; k++) {
      assert.ok(Math.abs(times[k]! - times[k - 1]! - 1000 / 300) < 1e-6);
    }
  });

  it('uniform over 3 shards: together exactly the one-thread grid', () => {
    const merged = [0, 1, 2]
      .flatMap((shard) =>
        take(100, arrivalSchedule('uniform', 0, share(500, 3, shard, 'uniform')).next),
      )
      .sort((a, b) => a - b);
    const single = take(300, arrivalSchedule('uniform', 0, share(500, 1, 0, 'uniform')).next);
    for (const [k, t] of merged.entries()) assert.ok(Math.abs(t - single[k]!) < 1e-9);
  });

  it('Poisson: mean gap 1/rate, gaps exponential (coefficient of variation ≈ 1)', () => {
    const rate = 200;
    const times = take(
      20_000,
      arrivalSchedule('poisson', 0, share(rate, 1, 0, 'poisson'), seeded(7)).next,
    );
    const gaps = times.map((t, k) => t - (k === 0 ? 0 : times[k - 1]!));
    const mean = gaps.reduce((a, b) => a + b, 0) / gaps.length;
    const sd = Math.sqrt(gaps.reduce((a, g) => a + (g - mean) ** 2, 0) / gaps.length);
    assert.ok(Math.abs(mean - 1000 / rate) / (1000 / rate) < 0.03, `mean ${mean}`);
    assert.ok(Math.abs(sd / mean - 1) < 0.05, `cv ${sd / mean}`);
    assert.ok(gaps.every((g) => g > 0));
  });

  it('Poisson over 2 shards: each at half the rate', () => {
    const times = take(
      10_000,
      arrivalSchedule('poisson', 0, share(200, 2, 1, 'poisson'), seeded(3)).next,
    );
    const mean = times.at(-1)! / times.length;
    assert.ok(Math.abs(mean - 10) / 10 < 0.05, `mean gap ${mean}`);
  });
});
