/**
 * Intended start times of an open loop's requests, fixed in advance from the rate alone (never
 * from the server's answers: that is what makes the loop open). `uniform` spaces them evenly,
 * as wrk2 does; `poisson` draws exponential gaps (independent arrivals, as many real users).
 * Times are computed from the start (k × interval), not summed, so they never drift.
 */
import type { ArrivalName } from '../load-options.js';

/** An endless, increasing sequence of intended times, ms on the caller's clock. */
export interface ArrivalSchedule {
  /** The next intended time (consumes it). */
  next(): number;
}

/**
 * One shard's schedule. `shards` threads share `ratePerS`: uniform shard `shard` takes every
 * `shards`-th slot of the whole rate's grid (so together they are exactly uniform); Poisson
 * shards are independent processes of rate `ratePerS / shards` (their sum is Poisson again).
 */
export function arrivalSchedule(
  kind: ArrivalName,
  startMs: number,
  ratePerS: number,
  shard: number,
  shards: number,
  random: () => number = Math.random,
): ArrivalSchedule {
  const intervalMs = 1000 / ratePerS;
  if (kind === 'uniform') {
    let k = 0;
    return { next: () => startMs + (shard + shards * k++) * intervalMs };
  }
  const meanGapMs = intervalMs * shards;
  let t = startMs;
  return {
    next: () => {
      // 1 - random() is in (0, 1], so the logarithm is finite.
      t += -Math.log(1 - random()) * meanGapMs;
      return t;
    },
  };
}
