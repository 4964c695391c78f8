/**
 * The load driver result (docs/contracts.md#load-driver-result): the one JSON document a run produces. The
 * orchestrator embeds it unchanged, so every change to these shapes bumps `LOAD_RESULT_SCHEMA`.
 * Times are in milliseconds unless the name says otherwise (`…S` seconds, `…Ms` milliseconds).
 */
import type { AnyLoadOptions, ArrivalName } from './load-options.js';
import type { CycleWindow } from './window-types.js';

/**
 * Version of the result document; bumped on any change to these types (the test
 * `result-schema.test.ts` fails on a change without a bump). `/2` added open-loop runs
 * (`options.rates`, `CycleResult.openLoop`), `LatencyStats.count`/`p999`; a `/1` document reads
 * as a `/2` one without those. `/1` also changed meaning while it was current, without a bump:
 * engines came (`driver.engine` became an engine name, `driver.engineClient` appeared) and
 * autocannon's lost requests were folded into `inFlightAtEnd`. Every `/1` document kept in
 * `results/` is of that later kind; `/2` includes those changes, so no `/3` was needed for them.
 * `/3` added adaptive windows (`options.adaptive`, `CycleResult.window`); a `/2` document reads
 * as a `/3` one without them.
 */
export const LOAD_RESULT_SCHEMA = 'stackbench.load/3' as const;
/** Schemas a reader accepts (older documents live on in stored result sets). */
export const LOAD_RESULT_SCHEMAS = [
  'stackbench.load/1',
  'stackbench.load/2',
  LOAD_RESULT_SCHEMA,
] as const;
export type LoadResultSchema = (typeof LOAD_RESULT_SCHEMAS)[number];

/** Failures by kind; every failed request is counted in exactly one kind. */
export interface FailureCounts {
  total: number;
  /** ECONNREFUSED: nothing listens. */
  connectRefused: number;
  /** ECONNRESET / EPIPE: the peer reset the connection with the request outstanding. */
  connectionReset: number;
  /** The peer closed the connection cleanly before the response was complete. */
  connectionClosed: number;
  /** No complete response within `timeoutS`. */
  timeout: number;
  /** Complete response with another status than `expectStatus`, by status code. */
  status: Record<string, number>;
  /** Complete response with the right status whose body did not match `expectBody`. */
  bodyMismatch: number;
  /** Anything else (malformed response, other socket errors), by error code. */
  other: Record<string, number>;
}

/**
 * Latency of successful requests, from the moment the request starts (connect included; in an
 * open loop, from its intended start).
 */
export interface LatencyStats {
  /** Samples behind the figures (absent in `/1` documents). */
  count?: number;
  avg: number;
  min: number;
  p10: number;
  p50: number;
  p90: number;
  p95: number;
  p99: number;
  /** 99.9th percentile (absent in `/1` documents). */
  p999?: number;
  max: number;
  /** Standard deviation. */
  stddev: number;
}

/** One second of the measured window (second 0 is the first). */
export interface TimelineSample {
  second: number;
  /** Requests finished in this second (successes + failures). */
  requests: number;
  failures: number;
  /** Latency percentiles of the successes of this second; null when there were none. */
  p50Ms: number | null;
  p95Ms: number | null;
}

/** What an open-loop cycle adds to its `CycleResult` (README: "Open loop"). */
export interface OpenLoopCycle {
  arrivals: ArrivalName;
  /** The rate asked for, requests/s. */
  offeredRps: number;
  /** Intended starts inside the window (= `requests.sent - requests.carriedIn`). */
  scheduled: number;
  /** `scheduled` / window: the offered rate as the schedule drew it (Poisson varies). */
  scheduledRps: number;
  /** Requests written to a connection during the window. */
  written: number;
  /** `written` / window: the rate the driver achieved on the wire. */
  achievedRps: number;
  /** False when fewer than 99 % of the scheduled requests were written in the window. */
  rateAchieved: boolean;
  /**
   * Scheduled in the window but found no free connection at their intended time (the pool was
   * at its limit): they waited in the driver, and that wait is in their latency.
   */
  delayed: number;
  /** Of `requests.inFlightAtEnd`: still waiting for a connection, never written. */
  waitingAtEnd: number;
  /** Intended start → written, of the requests written in the window (driver lateness). */
  sendLagMs: { count: number; p50: number; p99: number; max: number };
  connections: {
    /** Opened before the cycle (`connections`). */
    initial: number;
    /** The pool's limit (`maxConnections`). */
    limit: number;
    /** Largest pool size reached (> initial: the pool grew). */
    peak: number;
  };
  /**
   * Service time of successful requests: from the actual write to the last byte (what a closed
   * loop measures, and wrk2's "uncorrected" latency). `latencyMs` runs from the intended start.
   */
  serviceTimeMs: LatencyStats;
  /** HDR base64 (µs) of the service times, for exact merging. */
  serviceTimeHistogram: string;
}

export interface CycleResult {
  /** Concurrent users of this cycle; in an open loop, the initial connections. */
  users: number;
  /** Measured window as actually run, seconds (wall clock). */
  durationS: number;
  /**
   * Request accounting over the measured window. A request belongs to the window when it was
   * in flight during it: `sent` = carried in from warm-up + sent during the window, and
   * `sent = succeeded + failed + inFlightAtEnd` holds exactly.
   */
  requests: {
    sent: number;
    /** Of `sent`: requests already in flight when the window opened. */
    carriedIn: number;
    succeeded: number;
    failed: number;
    /**
     * Still outstanding when the window closed; abandoned, neither success nor failure. With
     * the autocannon engine this includes the requests it lost (see `autocannon`).
     */
    inFlightAtEnd: number;
  };
  /**
   * Only with the autocannon engine: what its events let us prove. `inFlightAtEnd` (at most one
   * per connection) + `lost` = `requests.inFlightAtEnd`.
   */
  autocannon?: {
    /** Requests outstanding on a connection when the window closed. */
    inFlightAtEnd: number;
    /**
     * Requests sent (or carried in) that autocannon never reported: no response, no error, and
     * no longer outstanding (it reconnects after a server close and forgets the request).
     */
    lost: number;
    /**
     * Successes whose autocannon latency exceeds our own clock's (from the same connection's
     * latest request) by more than 0.1 ms: autocannon timed them from an earlier request.
     */
    staleLatencies: number;
  };
  /** Completions per second over the window. */
  rps: { successful: number; total: number };
  /** Latency of successful requests, ms (HDR histogram, microsecond resolution). */
  latencyMs: LatencyStats;
  failures: FailureCounts;
  /** Response bytes (headers + body) received per second during the window. */
  bytesPerS: number;
  inFlightAtEnd: number;
  /** The driver's own CPU over the window. */
  driverCpu: {
    /** Process CPU time / wall time, in percent of one core (200 = two cores busy). */
    percent: number;
    /** Load threads (capacity = threads × 100 %). */
    threads: number;
    /** Busiest load thread's event-loop utilisation, 0..1. */
    maxEventLoopUtilization: number;
  };
  /**
   * The whole host's CPU over the window (all cores, percent). Driver and target often share a
   * host: near 100 the figures are bounded by the host, whichever process is named.
   */
  hostCpuBusyPercent: number;
  /** True when the driver itself was near its limit (> 90 %): the figures measure the driver. */
  driverSaturated: boolean;
  timeline: TimelineSample[];
  /** Latency histogram of successful requests, HDR base64 (µs), for exact merging downstream. */
  histogram: string;
  /** Only in open-loop runs: offered and achieved rate, the pool, service times. */
  openLoop?: OpenLoopCycle;
  /** How an adaptive window was sized (closed loop with `adaptive`); absent for fixed windows. */
  window?: CycleWindow;
}

export interface LoadResult {
  schema: LoadResultSchema;
  driver: {
    name: '@stackbench/loadgen';
    version: string;
    node: string;
    /**
     * The engine that ran the users: `native` or `autocannon` (an `EngineName`; typed `string`
     * because documents from before engines existed say `net+http-parser-js` here).
     */
    engine: string;
    /** Its HTTP client: `net+http-parser-js` (native) or `autocannon@9.0.0`; absent in older documents. */
    engineClient?: string;
  };
  host: { hostname: string; platform: string; arch: string; cpus: number; cpuModel: string };
  target: string;
  options: AnyLoadOptions;
  /** ISO 8601 wall-clock times of the run. */
  startedAt: string;
  endedAt: string;
  /** False when the run was aborted (Ctrl-C, signal) before all cycles finished. */
  complete: boolean;
  cycles: CycleResult[];
}

/** Live progress of a cycle, about once per second. */
export interface CycleProgress {
  /** Users of the cycle; in an open loop, its initial connections. */
  users: number;
  /** Open loop only: the cycle's offered rate, requests/s. */
  offeredRps?: number;
  /** Index in `options.cycles` (or `options.rates`). */
  cycleIndex: number;
  phase: 'ramp-up' | 'warm-up' | 'measure';
  /**
   * Seconds elapsed in the current phase and left in it (an adaptive warm-up: left until its
   * bound, `maxWarmupS`; it may end sooner).
   */
  elapsedS: number;
  remainingS: number;
  /** Completions per second over the last second. */
  currentRps: number;
  /** Failures so far in the measured window. */
  failures: number;
}
