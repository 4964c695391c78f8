/**
 * Turns parsed command-line values into the typed configuration the arbiter trusts (validate at
 * the edge, once). Seconds become milliseconds here.
 */
import { resolve } from 'node:path';
import type { BackendName } from '@stackbench/adapter';
import type { OptionValues } from '@stackbench/cli';
import { type BindAddress, parseBind } from './bind.js';
import { AppMissingError, JitterWithoutMaxRequestsError } from './errors.js';
import type { preforkOptions, ScheduleName } from './options.js';

export interface PreforkConfig {
  app: string;
  workers: number;
  bind: BindAddress;
  backlog: number;
  backend: BackendName;
  threads?: number;
  schedule: ScheduleName;
  /** 0 disables the worker timeout. */
  timeoutMs: number;
  gracefulTimeoutMs: number;
  keepAliveTimeoutMs: number;
  /** 0 disables recycling. */
  maxRequests: number;
  maxRequestsJitter: number;
  cwd: string;
  pidFile?: string;
  logFile: string;
}

export function resolveConfig(
  options: OptionValues<typeof preforkOptions>,
  positionals: readonly string[],
  cwd = process.cwd(),
): PreforkConfig {
  if (positionals.length !== 1) throw new AppMissingError(positionals);
  if (options.maxRequestsJitter > 0 && options.maxRequests === 0) {
    throw new JitterWithoutMaxRequestsError(options.maxRequestsJitter);
  }
  return {
    app: positionals[0] as string,
    workers: options.workers,
    bind: parseBind(options.bind),
    backlog: options.backlog,
    backend: options.workerClass,
    ...(options.threads === undefined ? {} : { threads: options.threads }),
    schedule: options.schedule,
    timeoutMs: Math.round(options.timeout * 1000),
    gracefulTimeoutMs: Math.round(options.gracefulTimeout * 1000),
    keepAliveTimeoutMs: Math.round(options.keepAlive * 1000),
    maxRequests: options.maxRequests,
    maxRequestsJitter: options.maxRequestsJitter,
    cwd: resolve(cwd, options.chdir ?? '.'),
    ...(options.pid === undefined ? {} : { pidFile: resolve(cwd, options.pid) }),
    logFile: options.logFile === '-' ? '-' : resolve(cwd, options.logFile),
  };
}
