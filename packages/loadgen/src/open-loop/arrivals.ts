/**
 * Intended start times of an open loop's requests, fixed in advance from the rate alone (never
 * from the server's answers: that is what makes the loop open). `uniform` spaces them evenly,
 * as wrk2 does; `poisson` draws exponential gaps (independent arrivals, as many real users).
 * Times are computed from the start (k × interval), not summed, so they never drift.
 */
import type { ArrivalName } from '../load-options.js';
import type { RateShare } from '../split.js';

/** An endless, increasing sequence of intended times, ms on the caller's clock. */
export interface ArrivalSchedule {
  /** The next intended time (consumes it). */
  next(): number;
}

/**
 * One part's schedule (its share of the rate, from split.ts): uniform times every 1/rate from
 * the start plus the share's phase (shares take turns on the whole rate's grid, so together they
 * are exactly uniform); Poisson times with exponential gaps of mean 1/rate (independent shares
 * add up to a Poisson process at the whole rate).
 */
export function arrivalSchedule(
  kind: ArrivalName,
  startMs: number,
  share: RateShare,
  random: () => number = Math.random,
): ArrivalSchedule {
  const intervalMs = 1000 / share.ratePerS;
  const firstMs = startMs + share.phaseMs;
  if (kind === 'uniform') {
    let k = 0;
    return { next: () => firstMs + k++ * intervalMs };
  }
  let t = firstMs;
  return {
    next: () => {
      // 1 - random() is in (0, 1], so the logarithm is finite.
      t += -Math.log(1 - random()) * intervalMs;
      return t;
    },
  };
}
