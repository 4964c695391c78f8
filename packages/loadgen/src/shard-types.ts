/**
 * What the cycle runner hands to each load thread (a shard of the users) and what comes back:
 * plain structured-clonable data (histograms as base64), so a shard runs the same in the main
 * thread or in a piscina worker, and shards merge exactly.
 */
import type { EngineName } from './engines/engine-name.js';
import type { OpenLoopShardStats } from './open-loop/recorder.js';
import type { OpenLoopShardSpec } from './open-loop/run.js';
import type { FailureCounts } from './result.js';
import type { Target } from './target.js';
import type { TimelineBucket } from './timeline-bucket.js';

export type { TimelineBucket };

/**
 * Slots of the shared control array (Int32): 0 = abort flag, 1 = shards ready (their users are
 * built and they wait for the start time), 2 = window published (1 once `schedule` holds the
 * measured window), then per shard 3 live counters: completions, failures, and users that have
 * completed at least one request (the adaptive warm-up waits for every user).
 */
export const CONTROL_ABORT = 0;
export const CONTROL_READY = 1;
export const CONTROL_WINDOW = 2;
const PER_SHARD = 3;
export const controlSlots = (shards: number) => 3 + shards * PER_SHARD;
export const completedSlot = (shard: number) => 3 + shard * PER_SHARD;
export const failedSlot = (shard: number) => 4 + shard * PER_SHARD;
export const respondedSlot = (shard: number) => 5 + shard * PER_SHARD;

/** Float64 slots of the shared schedule: the start time, then the measured window. */
export const SCHEDULE_START = 0;
export const SCHEDULE_WINDOW_START = 1;
export const SCHEDULE_WINDOW_END = 2;
export const SCHEDULE_SLOTS = 3;

/** Absolute times of one cycle's phases, ms since the epoch. */
export interface PhaseTimes {
  startAtMs: number;
  rampEndMs: number;
  measureStartMs: number;
  measureEndMs: number;
}

/**
 * The cycle's phases from its start time: user i starts at `startAt + i × startupDelay`, the
 * warm-up follows the last user's start, then the measured window.
 */
export function phaseTimes(
  startAtMs: number,
  spec: Pick<ShardSpec, 'users' | 'startupDelayMs' | 'warmupMs' | 'durationMs'>,
): PhaseTimes {
  const rampEndMs = startAtMs + (spec.users - 1) * spec.startupDelayMs;
  const measureStartMs = rampEndMs + spec.warmupMs;
  return { startAtMs, rampEndMs, measureStartMs, measureEndMs: measureStartMs + spec.durationMs };
}

export interface ShardSpec {
  engine: EngineName;
  target: Target;
  shard: number;
  /** Global indices of this shard's users (ramp-up order is global, spread round-robin). */
  userIndices: number[];
  /** All users of the cycle (for the ramp-up's length). */
  users: number;
  startupDelayMs: number;
  warmupMs: number;
  durationMs: number;
  /**
   * Adaptive window (closed loop): the runner publishes the window after the warm-up, and it
   * lasts at most this long (the timeline's capacity). Absent: the window is published with the
   * start time and lasts `durationMs`.
   */
  maxDurationMs?: number;
  /** Int32Array over this: abort flag, ready count, window flag, live counters. */
  control: SharedArrayBuffer;
  /**
   * Float64Array over this (`SCHEDULE_*`), ms since the epoch (`performance.timeOrigin +
   * performance.now()`): the start time, 0 until every shard is ready, which users and phases
   * follow (`phaseTimes`); and the measured window's start and end, valid once the control's
   * window flag is set (with the start time, or after an adaptive warm-up).
   */
  schedule: SharedArrayBuffer;
  /**
   * Open loop: send at intended times over a pool instead of running users (then `users` is 1,
   * `userIndices` empty and `startupDelayMs` 0).
   */
  openLoop?: OpenLoopShardSpec;
}

export interface ShardResult {
  /**
   * Absolute ms; the window really ran from `measureStartMs` to `windowEndMs` (in this thread;
   * later than published only when the thread saw an adaptive window after its start).
   */
  measureStartMs: number;
  windowEndMs: number;
  sentInWindow: number;
  carriedIn: number;
  succeeded: number;
  failed: number;
  inFlightAtEnd: number;
  /** Requests the engine never reported and no longer had outstanding (0 with native). */
  lost: number;
  /** Successes timed from an earlier request by the engine (recorder's `staleLatencies`). */
  staleLatencies: number;
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
  /** Open loop only. */
  openLoop?: OpenLoopShardStats;
}
