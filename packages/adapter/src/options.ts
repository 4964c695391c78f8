/**
 * The CLI's option table: parsing, validation, `--help` and the README's option list all come from
 * it. Times are in seconds on the command line (as Gunicorn and Chaussette take them).
 */
import { type CommandDescription, type OptionTable, UsageError } from '@stackbench/cli';
import { backendNames } from './backends/registry.js';
import type { ListenTarget } from './listen-target.js';
import { defaultThreadConcurrency, defaultThreads } from './serve.js';

export const adapterOptions = {
  fd: {
    type: 'integer',
    min: 0,
    valueName: 'N',
    description: 'serve on the listening socket inherited at this file descriptor',
  },
  host: {
    type: 'string',
    valueName: 'HOST',
    description: 'bind this address itself (with --port); default 127.0.0.1',
  },
  port: {
    type: 'integer',
    min: 0,
    max: 65535,
    valueName: 'PORT',
    description: 'bind this TCP port itself (0: any free port)',
  },
  reusePort: {
    type: 'boolean',
    default: false,
    description:
      'with --port: bind with SO_REUSEPORT, so that N adapters each listen on the same host:port with a socket of their own and the kernel spreads connections over them (Node >= 22.12)',
  },
  unix: {
    type: 'string',
    valueName: 'PATH',
    description: 'bind a Unix socket at this path itself',
  },
  backend: {
    type: 'string',
    choices: backendNames,
    default: 'node',
    description: 'how requests run (see Backends below)',
  },
  backlog: {
    type: 'integer',
    min: 1,
    max: 65535,
    default: 2048,
    valueName: 'N',
    description:
      'listen(2) backlog, also applied to an inherited socket (the kernel caps it at net.core.somaxconn)',
  },
  threads: {
    type: 'integer',
    min: 1,
    max: 256,
    default: defaultThreads,
    valueName: 'N',
    description: 'threads backend: worker threads in the pool',
  },
  threadConcurrency: {
    type: 'integer',
    min: 1,
    max: 10000,
    default: defaultThreadConcurrency,
    valueName: 'N',
    description: 'threads backend: requests one thread runs at once (awaiting handlers overlap)',
  },
  gracefulTimeout: {
    type: 'number',
    seconds: true,
    min: 0,
    default: 30,
    valueName: 'S',
    description:
      'on SIGTERM, seconds in-flight requests get to finish before their connections are cut',
  },
  keepAliveTimeout: {
    type: 'number',
    seconds: true,
    min: 0,
    default: 5,
    valueName: 'S',
    description: 'seconds an idle keep-alive connection stays open',
  },
  catchLateFaults: {
    type: 'boolean',
    default: false,
    description:
      'node backend: answer a throw from a callback a request scheduled with a 500 instead of exiting 1 (slower: AsyncLocalStorage, see README)',
  },
  preHook: {
    type: 'string',
    valueName: 'MODULE:EXPORT',
    description: 'function called (and awaited) before listening',
  },
  postHook: {
    type: 'string',
    valueName: 'MODULE:EXPORT',
    description: 'function called (and awaited) after the server closed',
  },
} as const satisfies OptionTable;

export const adapterCommand: CommandDescription = {
  usage: 'stackbench-adapter (--fd N | --host H --port P | --unix PATH) [options] APP',
  summary:
    'Serve the request listener APP (MODULE[:EXPORT], e.g. @stackbench/app:benchApp or ./app.js:handler) on an inherited or bound socket.',
};

type Parsed = {
  fd?: number | undefined;
  host?: string | undefined;
  port?: number | undefined;
  unix?: string | undefined;
  reusePort?: boolean | undefined;
};

/** Exactly one of --fd, --port (with optional --host), --unix. */
export function listenTargetFrom(options: Parsed): ListenTarget {
  const given = [
    options.fd !== undefined,
    options.port !== undefined,
    options.unix !== undefined,
  ].filter(Boolean).length;
  if (options.host !== undefined && options.port === undefined) {
    throw new UsageError('--host needs --port (e.g. --host 127.0.0.1 --port 8080)');
  }
  if (given !== 1) {
    throw new UsageError(
      given === 0
        ? 'say where to listen: --fd N (inherited socket), --host H --port P, or --unix PATH'
        : 'give only one of --fd, --port, --unix',
    );
  }
  if (options.reusePort && options.port === undefined) {
    throw new UsageError('--reuse-port applies to a port the adapter binds itself (--port)');
  }
  if (options.fd !== undefined) return { fd: options.fd };
  if (options.unix !== undefined) return { path: options.unix };
  const host = options.host ?? '127.0.0.1';
  const port = options.port as number;
  return options.reusePort ? { host, port, reusePort: true } : { host, port };
}
