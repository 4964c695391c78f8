/**
 * serve(): one node:http server, one backend, the counters, and a graceful close. It installs no
 * signal handlers and sends no IPC: the CLI (and prefork's workers) own the process lifecycle.
 */
import { createServer } from 'node:http';
import { Server as NetServer } from 'node:net';
import type { WorkerCounters } from '@stackbench/protocol';
import type { BackendName } from './backends/backend.js';
import { backendDefinition } from './backends/registry.js';
import { RequestCounters } from './counters.js';
import type { FaultLogger } from './fault.js';
import { checkTarget, listenOn } from './listen.js';
import type { ListenTarget } from './listen-target.js';

export interface ServeOptions {
  /** `MODULE[:EXPORT]`, e.g. `@stackbench/app:benchApp` or `./file.js:handler`. */
  app: string;
  backend: BackendName;
  listen: ListenTarget;
  /** listen(2) backlog (the CLI's default is 2048). */
  backlog: number;
  /** threads backend: pool size (default 4). */
  threads?: number;
  /** threads backend: requests each thread runs at once (default 16). */
  threadConcurrency?: number;
  /** Idle keep-alive connections close after this long (node:http default 5000). */
  keepAliveTimeoutMs?: number;
  /** Where relative APP paths and package names resolve (default process.cwd()). */
  cwd?: string;
  /**
   * node backend: answer a throw from a callback a request scheduled with a 500, via
   * claimUncaughtFault in the process's uncaughtException handler. Costs about a quarter of
   * hello-app throughput on Node 20 (AsyncLocalStorage turns on async hooks).
   */
  catchLateFaults?: boolean;
  /** Where app-fault lines go (default: stderr, prefixed with the pid). */
  log?: FaultLogger;
}

export interface RunningServer {
  /** `fd:3` | `127.0.0.1:8080` | `unix:/path` (the real port when 0 was asked). */
  readonly address: string;
  counters(): WorkerCounters;
  /** Stop accepting, let in-flight requests finish, destroy what remains after the timeout. */
  close(gracefulTimeoutMs: number): Promise<void>;
}

export const defaultThreads = 4;
export const defaultThreadConcurrency = 16;
const idleSweepMs = 50;
/** How long idle keep-alive connections may still bring a request before they are closed. */
const idleDrainMs = 1000;

/** `stackbench-adapter[PID]: line` on stderr: app faults here, lifecycle lines in the CLI. */
export function stderrLog(line: string): void {
  process.stderr.write(`stackbench-adapter[${process.pid}]: ${line}\n`);
}

export async function serve(options: ServeOptions): Promise<RunningServer> {
  const definition = await backendDefinition(options.backend);
  checkTarget(options.listen);
  const counters = new RequestCounters();
  const backend = await definition.create({
    app: options.app,
    cwd: options.cwd ?? process.cwd(),
    threads: options.threads ?? defaultThreads,
    threadConcurrency: options.threadConcurrency ?? defaultThreadConcurrency,
    catchLateFaults: options.catchLateFaults ?? false,
    log: options.log ?? stderrLog,
    onFault: (res) => counters.markFault(res),
  });
  let closing = false;
  const server = createServer((req, res) => {
    counters.track(res);
    // During shutdown every response is the last on its connection.
    if (closing) res.setHeader('connection', 'close');
    backend.handle(req, res);
  });
  if (options.keepAliveTimeoutMs !== undefined)
    server.keepAliveTimeout = options.keepAliveTimeoutMs;
  let address: string;
  try {
    address = await listenOn(server, options.listen, options.backlog);
  } catch (error) {
    await backend.close();
    throw error;
  }

  let closed: Promise<void> | undefined;
  const close = async (gracefulTimeoutMs: number) => {
    closing = true;
    // Stop accepting with net.Server's close, not http.Server's: the latter (Node >= 19) closes
    // idle keep-alive connections at once, racing clients that are sending their next request on
    // them (they would see a reset). Instead each connection's next response says
    // `Connection: close`; connections still idle after a drain delay are closed then.
    const done = new Promise<void>((resolve) =>
      NetServer.prototype.close.call(server, () => resolve()),
    );
    for (const res of counters.active()) if (!res.headersSent) res.setHeader('connection', 'close');
    let sweep: NodeJS.Timeout | undefined;
    const drain = setTimeout(
      () => {
        server.closeIdleConnections();
        sweep = setInterval(() => server.closeIdleConnections(), idleSweepMs);
      },
      Math.min(idleDrainMs, gracefulTimeoutMs),
    );
    const deadline = setTimeout(() => server.closeAllConnections(), gracefulTimeoutMs);
    try {
      await done;
    } finally {
      clearTimeout(drain);
      clearInterval(sweep);
      clearTimeout(deadline);
      await backend.close();
    }
  };
  return {
    address,
    counters: () => counters.snapshot(),
    close(gracefulTimeoutMs) {
      closed ??= close(gracefulTimeoutMs);
      return closed;
    },
  };
}
