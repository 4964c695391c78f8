/**
 * The few parts of Bun's and Deno's globals the entries use, typed here rather than through the
 * runtimes' full type packages (which would each redeclare the Node globals this workspace
 * compiles against). Read from globalThis; nothing is patched.
 */
export interface BunServer {
  port: number;
  /** Stops accepting; true also cuts active connections. Resolves when all are done. */
  stop(closeActiveConnections?: boolean): Promise<void>;
}

export interface BunGlobal {
  version: string;
  serve(options: {
    hostname: string;
    port: number;
    reusePort?: boolean;
    development?: boolean;
    fetch(request: Request): Promise<Response>;
    error?(error: Error): Response;
  }): BunServer;
}

export interface DenoServer {
  addr: { port: number };
  finished: Promise<void>;
  /** Stops accepting and lets pending requests finish. */
  shutdown(): Promise<void>;
}

export interface DenoGlobal {
  version: { deno: string };
  serve(
    options: {
      hostname: string;
      port: number;
      reusePort?: boolean;
      tcpBacklog?: number;
      onListen?(addr: { port: number }): void;
      onError?(error: unknown): Response;
    },
    handler: (request: Request) => Promise<Response>,
  ): DenoServer;
}

const globals = globalThis as unknown as { Bun?: BunGlobal; Deno?: DenoGlobal };

export function bunGlobal(): BunGlobal | undefined {
  return globals.Bun;
}

export function denoGlobal(): DenoGlobal | undefined {
  return globals.Deno;
}

/** The runtime this process runs on, for messages: `Bun 1.2.3`, `Deno 2.1.0`, `Node v20.19.0`. */
export function runningRuntime(): string {
  const bun = globals.Bun;
  if (bun) return `Bun ${bun.version}`;
  const deno = globals.Deno;
  if (deno) return `Deno ${deno.version.deno}`;
  return `Node ${process.version}`;
}
