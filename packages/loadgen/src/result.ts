/**
 * DESIGN.md contract 4, "load driver result": the one JSON document a run produces. The
 * orchestrator embeds it unchanged, so every change to these shapes bumps `LOAD_RESULT_SCHEMA`.
 * Times are in milliseconds unless the name says otherwise (`…S` seconds, `…Ms` milliseconds).
 */
import type { EngineName } from './engines/engine.js';

/** Version of the result document; bumped on any incompatible change. */
export const LOAD_RESULT_SCHEMA = 'stackbench.load/1' as const;

/** What a run does; validated once at the edge (CLI or `runLoad`), then trusted. */
export interface LoadOptions {
  /** Target URL, `http://HOST:PORT/PATH` (plain HTTP/1.1). */
  url: string;
  /** Concurrent users (CUs) of each cycle, in order, e.g. `[50, 100, 150]`. */
  cycles: number[];
  /** Measured time per cycle, seconds. */
  durationS: number;
  /** Uncounted load after all users have started, before measuring, seconds. */
  warmupS: number;
  /** Delay between starting two users (ramp-up), seconds; 0 starts them all at once. */
  startupDelayS: number;
  /** Idle time between cycles, seconds. */
  cyclePauseS: number;
  /** Think time of a user between a response and its next request, seconds. */
  sleepTimeS: number;
  /** `keep-alive` reuses each user's connection; `close` opens one per request. */
  connection: 'keep-alive' | 'close';
  /** Per-request timeout, seconds (connect + response). */
  timeoutS: number;
  /** Status code that counts as success. */
  expectStatus: number;
  /** Regular expression (JavaScript syntax) the body must match to count as success. */
  expectBody?: string;
  /** Load threads; users are spread over them and statistics merged exactly. */
  threads: number;
  /**
   * HTTP client under the users: `native` (default, our own client loop) or `autocannon`
   * (autocannon 9's clients; refuses think time, `close`, ramp-up and timeouts under 1 s).
   */
  engine?: EngineName;
}

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

/** Latency of successful requests, from the moment the request starts (connect included). */
export interface LatencyStats {
  avg: number;
  min: number;
  p10: number;
  p50: number;
  p90: number;
  p95: number;
  p99: number;
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

export interface CycleResult {
  /** Concurrent users of this cycle. */
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
}

export interface LoadResult {
  schema: typeof LOAD_RESULT_SCHEMA;
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
  options: LoadOptions;
  /** ISO 8601 wall-clock times of the run. */
  startedAt: string;
  endedAt: string;
  /** False when the run was aborted (Ctrl-C, signal) before all cycles finished. */
  complete: boolean;
  cycles: CycleResult[];
}

/** Live progress of a cycle, about once per second. */
export interface CycleProgress {
  users: number;
  /** Index in `options.cycles`. */
  cycleIndex: number;
  phase: 'ramp-up' | 'warm-up' | 'measure';
  /** Seconds elapsed in the current phase and left in it. */
  elapsedS: number;
  remainingS: number;
  /** Completions per second over the last second. */
  currentRps: number;
  /** Failures so far in the measured window. */
  failures: number;
}
