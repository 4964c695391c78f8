/**
 * Runs a prefork master in this process until it is stopped: check the app and the address before
 * forking anything (so bad input fails once, clearly, with nothing left running), write the pid
 * file, start the arbiter, wire the signals, and clean up whatever way it ends.
 */
import { rmSync } from 'node:fs';
import { loadApp } from '@stackbench/adapter';
import { AppLoadError, messageOf, UsageError, writeFileAtomic } from '@stackbench/cli';
import { Arbiter } from './arbiter.js';
import { formatBind, probeBind } from './bind.js';
import type { PreforkConfig } from './config.js';
import { PidFileError, PREFORK_APP } from './errors.js';
import { Logger } from './log.js';
import { installSignals } from './signals.js';

/** Gunicorn loads the app in each worker; we also load it once here to fail before forking. */
async function checkApp(config: PreforkConfig): Promise<void> {
  try {
    await loadApp(config.app, config.cwd);
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    const message = messageOf(error);
    if (code === 'ADAPTER_APP_SPEC_INVALID') throw new UsageError(message);
    throw new AppLoadError(PREFORK_APP, 'App', error, message);
  }
}

export interface PreforkHooks {
  /** Called once the workers are forked, with the address they listen on. */
  onStarted?: (arbiter: Arbiter, address: string) => void;
}

/** Resolves when the master stopped on a signal; rejects with a typed error otherwise. */
export async function runPrefork(config: PreforkConfig, hooks: PreforkHooks = {}): Promise<void> {
  const log = new Logger(config.logFile);
  try {
    await checkApp(config);
    const port = await probeBind(config.bind);
    const address = formatBind({ host: config.bind.host, port });
    if (config.pidFile) {
      try {
        // Never through a symlink planted at the path: a new file renamed into place.
        writeFileAtomic(config.pidFile, `${process.pid}\n`, 0o644);
      } catch (error) {
        throw new PidFileError(config.pidFile, error);
      }
    }
    try {
      log.info('Starting stackbench-prefork');
      log.info(`Listening at: http://${address} (${process.pid})`);
      log.info(
        `Using worker: ${config.backend}; schedule: ${config.schedule}; backlog: ${config.backlog}; workers: ${config.workers}; timeout: ${config.timeoutMs / 1000} s`,
      );
      const arbiter = new Arbiter(config, log, port);
      const removeSignals = installSignals(arbiter, log);
      try {
        arbiter.start();
        hooks.onStarted?.(arbiter, address);
        await arbiter.done;
        log.info('Shutting down: Master');
      } finally {
        removeSignals();
      }
    } finally {
      if (config.pidFile) rmSync(config.pidFile, { force: true });
    }
  } finally {
    log.close();
  }
}
