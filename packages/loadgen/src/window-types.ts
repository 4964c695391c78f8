/**
 * The adaptive window's shapes in the result document (schema `/3`): the option that asks for
 * it (`LoadOptions.adaptive`) and the record of how each cycle's window was sized
 * (`CycleResult.window`). The rule itself is `window-sizing.ts`'s.
 */

/** `LoadOptions.adaptive`: how long to warm up and to measure, from what the warm-up saw. */
export interface AdaptiveWindowOptions {
  /** The measured part holds at least this many response times per user. */
  responsesPerUser: number;
  /** ... and at least this many requests (from the warm-up's throughput). */
  minRequests: number;
  /** Upper bound of the measured part, seconds (>= durationS). */
  maxDurationS: number;
  /** Upper bound of the warm-up, seconds (>= warmupS). */
  maxWarmupS: number;
}

/** What decided an adaptive window's length (the largest term, or the bound). */
export const SIZED_BY = ['responses', 'requests', 'minimum', 'maximum'] as const;
export type SizedBy = (typeof SIZED_BY)[number];

/** How an adaptive window was sized (`CycleResult.window`). */
export interface CycleWindow {
  /** Unmeasured seconds after ramp-up, until throughput was steady (or the bound). */
  warmupS: number;
  /** true: the steady-state rule fired; false: the warm-up reached maxWarmupS. */
  steady: boolean;
  /** Throughput over the warm-up's last block, requests/s. */
  warmupRps: number;
  /** Response time seen in warm-up, ms (users / throughput − think time). */
  responseTimeMs: number;
  /** Measured seconds chosen. */
  plannedS: number;
  sizedBy: SizedBy;
}
