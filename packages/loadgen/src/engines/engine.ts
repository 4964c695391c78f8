/**
 * The HTTP client under the users, behind one small interface so the shard (scheduling, the
 * window, driver health) and the recorder (counts, histograms, timeline) are shared by every
 * engine. `native` is our own client loop (`src/user.ts`); `autocannon` runs autocannon 9's
 * clients (README: "Engines" says where they differ and why `native` is the default).
 */
import type { Target } from '../target.js';
import type { UserSink } from '../user.js';

import type { EngineName } from './engine-name.js';

export { DEFAULT_ENGINE, ENGINE_NAMES, type EngineName } from './engine-name.js';

/** One shard's users while they run. */
export interface RunningUsers {
  /**
   * Stops every user at once (no request is sent after it returns) and gives the start times
   * (this thread's `performance.now()`, ms) of the requests still outstanding: the window
   * closes on them.
   */
  stop(): number[];
  /** Settles once the engine has let go of its sockets and timers; rejects on engine errors. */
  readonly closed: Promise<void>;
}

export interface LoadEngine {
  readonly name: EngineName;
  /** What `driver.engineClient` says, e.g. `net+http-parser-js` or `autocannon@9.0.0`. */
  readonly client: string;
  /**
   * Runs one closed-loop user per entry of `startsMs` (each starts at that local time) against
   * `target`, reporting every request to `sink`.
   */
  start(target: Target, startsMs: number[], sink: UserSink): RunningUsers;
}
