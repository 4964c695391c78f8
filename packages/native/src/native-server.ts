/**
 * What every native-server entry does, whatever the runtime: parse the options, load the app's
 * fetch face, listen through the runtime's own server (a `NativeListen`), say ready on stderr, and
 * stop gracefully on SIGTERM (at once on SIGINT). The runtime-specific part is only `listen`.
 */

import type { FetchHandler } from '@stackbench/app';
import { formatHelp, parseCommandLine, UsageError } from '@stackbench/cli';
import { NativeListenError } from './errors.js';
import { loadFetchApp } from './fetch-app.js';
import { nativeCommand, nativeOptions } from './options.js';

export interface ListenRequest {
  host: string;
  port: number;
  backlog: number;
  reusePort: boolean;
  handler: FetchHandler;
}

export interface NativeServer {
  /** The port bound (the real one when 0 was asked). */
  port: number;
  /** Stop accepting and let in-flight requests finish. */
  close(): Promise<void>;
}

export type NativeListen = (request: ListenRequest) => Promise<NativeServer>;

export interface NativeEntry {
  /** Command name, e.g. stackbench-bun-serve. */
  entry: string;
  /** The server API, e.g. Bun.serve. */
  server: string;
  listen: NativeListen;
}

export async function runNativeServer(entry: NativeEntry, argv: string[]): Promise<number> {
  const log = (line: string) => process.stderr.write(`${entry.entry}[${process.pid}]: ${line}\n`);
  const { options, positionals, help } = parseCommandLine(nativeOptions, argv);
  if (help) {
    process.stdout.write(formatHelp(nativeCommand(entry.entry, entry.server), nativeOptions));
    return 0;
  }
  if (options.port === undefined) throw new UsageError('--port PORT is required');
  if (positionals.length !== 1) {
    throw new UsageError(
      positionals.length === 0
        ? 'missing APP (MODULE[:EXPORT], e.g. @stackbench/app:benchApp)'
        : `expected one APP, got ${positionals.length}: ${positionals.join(' ')}`,
    );
  }
  const app = positionals[0] as string;
  const handler = await loadFetchApp(app);
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  let server: NativeServer;
  try {
    server = await entry.listen({
      host: options.host,
      port: options.port,
      backlog: options.backlog,
      reusePort: options.reusePort,
      handler,
    });
  } catch (error) {
    throw new NativeListenError(`${host}:${options.port}`, error);
  }
  const stop = new Promise<string>((resolve) => {
    process.once('SIGTERM', () => resolve('SIGTERM'));
    process.once('SIGINT', () => resolve('SIGINT'));
  });
  log(
    `listening on ${host}:${server.port} (${entry.server}${options.reusePort ? ', reusePort' : ''}, app ${app})`,
  );
  const why = await stop;
  if (why === 'SIGINT') {
    // the entry exits as soon as this returns, in-flight requests or not
    log('SIGINT: exiting at once');
    return 0;
  }
  log(`${why}: closing (in-flight requests get ${options.gracefulTimeout} s)`);
  // the entry exits right after this returns, so the deadline's timer needs no unref (which
  // Deno's web-standard setTimeout, returning a number, would not have)
  const deadline = new Promise<void>((resolve) =>
    setTimeout(resolve, options.gracefulTimeout * 1000),
  );
  await Promise.race([server.close(), deadline]);
  log('closed');
  return 0;
}
