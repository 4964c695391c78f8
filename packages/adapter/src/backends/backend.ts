/**
 * The one small interface every backend implements (vitest's PoolWorker idea): given the app,
 * produce the request listener node:http calls, and free what it holds on close. serve() owns the
 * server, sockets, counters and shutdown; a backend only runs requests.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FaultLogger } from '../fault.js';

export type BackendName = 'node' | 'threads';

export interface BackendContext {
  /** `MODULE[:EXPORT]`, resolved from `cwd`. */
  app: string;
  cwd: string;
  /** threads backend: pool size. */
  threads: number;
  /** threads backend: requests one thread runs at once (awaiting handlers overlap). */
  threadConcurrency: number;
  /** node backend: trace throws from later callbacks to their request (AsyncLocalStorage). */
  catchLateFaults: boolean;
  log: FaultLogger;
  /** Called when a handler failed, so the counters count it as an error. */
  onFault(res: ServerResponse): void;
}

export interface Backend {
  /** Handles one request; faults are answered inside (500 + log), never thrown. */
  handle(req: IncomingMessage, res: ServerResponse): void;
  /** Frees threads and the like once the server has closed. Idempotent. */
  close(): Promise<void>;
}

export interface BackendDefinition {
  name: BackendName;
  create(context: BackendContext): Promise<Backend>;
}
