/**
 * What the cycle runner hands to each load thread (a shard of the users) and what comes back:
 * plain structured-clonable data (histograms as base64), so a shard runs the same in the main
 * thread or in a piscina worker, and shards merge exactly.
 */
import type { FailureCounts } from './result.js';
import type { Target } from './target.js';

/** Slots of the shared control array (Int32): 0 = abort flag, then per shard 2 live counters. */
export const CONTROL_ABORT = 0;
export const controlSlots = (shards: number) => 1 + shards * 2;
export const completedSlot = (shard: number) => 1 + shard * 2;
export const failedSlot = (shard: number) => 2 + shard * 2;

export interface ShardSpec {
  target: Target;
  shard: number;
  /** Global indices of this shard's users (ramp-up order is global, spread round-robin). */
  userIndices: number[];
  /** Absolute times, ms since the epoch (`performance.timeOrigin + performance.now()`). */
  startAtMs: number;
  startupDelayMs: number;
  measureStartMs: number;
  durationMs: number;
  /** Int32Array over this: abort flag, live counters. */
  control: SharedArrayBuffer;
}

export interface TimelineBucket {
  requests: number;
  failures: number;
  /** Successes of this second, HDR base64, or null when none. */
  histogram: string | null;
}

export interface ShardResult {
  /** Absolute ms; the window really ran from `measureStartMs` to `windowEndMs`. */
  windowEndMs: number;
  sentInWindow: number;
  carriedIn: number;
  succeeded: number;
  failed: number;
  inFlightAtEnd: number;
  bytes: number;
  failures: FailureCounts;
  histogram: string;
  timeline: TimelineBucket[];
  /** This thread's event-loop utilisation over the window, 0..1. */
  eventLoopUtilization: number;
  /** Process CPU time (user + system, all threads) over the window, µs. */
  processCpuUs: number;
  /** Whole host, all cores, over the window, percent. */
  hostCpuBusyPercent: number;
  aborted: boolean;
}
