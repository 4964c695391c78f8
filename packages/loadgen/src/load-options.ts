/**
 * What a run is asked to do: a closed loop (Funkload's cycles of concurrent users) or an open loop
 * (constant offered rates), and what both share. The options are recorded unchanged in the
 * result document (`LoadResult.options`, src/result.ts), so a change here is a change of the
 * load driver result (docs/contracts.md#load-driver-result) and bumps `LOAD_RESULT_SCHEMA`.
 */
import type { EngineName } from './engines/engine-name.js';
import type { AdaptiveWindowOptions } from './window-types.js';

/** How an open-loop cycle spaces its requests: evenly (wrk2), or as a Poisson process. */
export const ARRIVAL_NAMES = ['uniform', 'poisson'] as const;
export type ArrivalName = (typeof ARRIVAL_NAMES)[number];

/** A closed-loop run (Funkload's cycles of concurrent users); validated once at the edge. */
export interface LoadOptions extends CommonLoadOptions {
  /** Concurrent users (CUs) of each cycle, in order, e.g. `[50, 100, 150]`. */
  cycles: number[];
  /** Delay between starting two users (ramp-up), seconds; 0 starts them all at once. */
  startupDelayS: number;
  /** Think time of a user between a response and its next request, seconds. */
  sleepTimeS: number;
  /**
   * Size the window by the cell's response time (closed loop): `warmupS` and `durationS` become
   * minimums (README: "Adaptive window").
   */
  adaptive?: AdaptiveWindowOptions;
}

/**
 * An open-loop run: each cycle sends requests at a constant rate, at intended times fixed in
 * advance whatever the server does (wrk2's model), over a pool of connections.
 */
export interface OpenLoopOptions extends CommonLoadOptions {
  /** Requests per second of each cycle, in order, e.g. `[100, 200, 400]`. */
  rates: number[];
  /** Connections opened before each cycle (spread over the threads). */
  connections: number;
  /**
   * The pool grows up to this many connections when every connection is busy at an intended
   * time (default: `DEFAULT_OPEN_LOOP_OPTIONS.maxConnections`, at least `connections`).
   */
  maxConnections?: number;
  /** `uniform` (default, wrk2) or `poisson` arrivals. */
  arrivals?: ArrivalName;
}

/** Either kind of run; `'rates' in options` tells them apart (`isOpenLoop`). */
export type AnyLoadOptions = LoadOptions | OpenLoopOptions;

export const isOpenLoop = (options: AnyLoadOptions): options is OpenLoopOptions =>
  (options as Partial<OpenLoopOptions>).rates !== undefined;

/** What both kinds of run share. */
export interface CommonLoadOptions {
  /** Target URL, `http://HOST:PORT/PATH` (plain HTTP/1.1). */
  url: string;
  /** Measured time per cycle, seconds. */
  durationS: number;
  /** Uncounted load after all users have started, before measuring, seconds. */
  warmupS: number;
  /** Idle time between cycles, seconds. */
  cyclePauseS: number;
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
