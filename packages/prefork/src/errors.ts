/**
 * The prefork master's error classes. Exit codes follow Gunicorn where it has one: 4 when the app
 * cannot be loaded (APP_LOAD_ERROR), 3 when a worker fails to boot (WORKER_BOOT_ERROR), 1 when the
 * address cannot be bound; bad command-line input is 2. Only `runCli` turns them into exit codes.
 */
import { messageOf, type RaisedBy, StackbenchError } from '@stackbench/cli';

export type PreforkErrorCode =
  | 'PREFORK_APP_MISSING'
  | 'PREFORK_BIND_INVALID'
  | 'PREFORK_BIND_FAILED'
  | 'PREFORK_WORKER_BOOT_FAILED'
  | 'PREFORK_PID_FILE'
  | 'PREFORK_LOG_FILE'
  | 'PREFORK_JITTER_INVALID';

/** Gunicorn's exit codes for a worker that cannot boot or load the app. */
export const WORKER_BOOT_ERROR = 3;
export const APP_LOAD_ERROR = 4;

/**
 * Prefork as the raiser of the errors it shares with the adapter (cli's `AddressInUseError`,
 * `AppLoadError`): `PREFORK_ADDRESS_IN_USE` exits 1 (`cannot bind ADDRESS: …`),
 * `PREFORK_APP_LOAD_FAILED` exits 4 (`App failed to load: …`, checked in the master before
 * forking and by each worker).
 */
export const PREFORK_BIND: RaisedBy & { verb: string } = {
  prefix: 'PREFORK',
  exitCode: 1,
  verb: 'bind',
};
export const PREFORK_APP: RaisedBy = { prefix: 'PREFORK', exitCode: APP_LOAD_ERROR };

export class PreforkError extends StackbenchError {
  declare readonly code: PreforkErrorCode;
  constructor(
    code: PreforkErrorCode,
    message: string,
    options: { exitCode?: number; cause?: unknown } = {},
  ) {
    super(code, message, options);
  }
}

/** No APP, or more than one positional. */
export class AppMissingError extends PreforkError {
  constructor(positionals: readonly string[]) {
    const got = positionals.length
      ? `got ${positionals.map((p) => JSON.stringify(p)).join(' ')}`
      : 'got none';
    super(
      'PREFORK_APP_MISSING',
      `expected exactly one APP (MODULE:EXPORT, e.g. @stackbench/app:helloApp), ${got}`,
      { exitCode: 2 },
    );
  }
}

/** `-b` is not HOST:PORT. */
export class BindSpecError extends PreforkError {
  constructor(spec: string, why: string) {
    super(
      'PREFORK_BIND_INVALID',
      `--bind ${JSON.stringify(spec)}: ${why}; expected HOST:PORT with PORT 0-65535, e.g. 127.0.0.1:8080 or [::1]:8080`,
      { exitCode: 2 },
    );
  }
}

export class BindError extends PreforkError {
  constructor(address: string, cause: unknown) {
    const reason = messageOf(cause);
    super('PREFORK_BIND_FAILED', `cannot bind ${address}: ${reason}`, { exitCode: 1, cause });
  }
}

/** A worker exited with a boot error code before it was ready: halt rather than respawn-loop. */
export class WorkerBootError extends PreforkError {
  constructor(pid: number, exitCode: number) {
    const what = exitCode === APP_LOAD_ERROR ? 'App failed to load' : 'Worker failed to boot';
    super(
      'PREFORK_WORKER_BOOT_FAILED',
      `${what} in worker ${pid} (exit code ${exitCode}; its reason is logged above); not respawning`,
      { exitCode },
    );
  }
}

export class PidFileError extends PreforkError {
  constructor(path: string, cause: unknown) {
    const reason = messageOf(cause);
    super('PREFORK_PID_FILE', `--pid ${path}: cannot write the pid file: ${reason}`, {
      exitCode: 1,
      cause,
    });
  }
}

export class LogFileError extends PreforkError {
  constructor(path: string, cause: unknown) {
    const reason = messageOf(cause);
    super(
      'PREFORK_LOG_FILE',
      `--log-file ${path}: cannot open for appending: ${reason}; give a writable path or - for stderr`,
      { exitCode: 2, cause },
    );
  }
}

/** `--max-requests-jitter` without `--max-requests`: it would silently do nothing. */
export class JitterWithoutMaxRequestsError extends PreforkError {
  constructor(jitter: number) {
    super(
      'PREFORK_JITTER_INVALID',
      `--max-requests-jitter ${jitter} needs --max-requests N (N > 0); without it workers are never recycled`,
      { exitCode: 2 },
    );
  }
}
