/**
 * Errors of the web dashboard. They live here rather than in `src/errors.ts` because the
 * dashboard is its own part of the package; codes follow the package's `SUPERVISOR_*` scheme.
 */
import { StackbenchError } from '@stackbench/cli';

/** The dashboard's HTTP port cannot be opened (in use, address not local). */
export class DashboardListenError extends StackbenchError {
  constructor(address: string, reason: string) {
    super(
      'SUPERVISOR_DASHBOARD_LISTEN',
      `[supervisor] dashboard = ${address}: cannot listen (${reason}); choose a free port or remove the key`,
    );
  }
}

/** A dashboard request was refused: missing/wrong token, foreign Origin or Host. HTTP 403. */
export class DashboardForbiddenError extends StackbenchError {
  constructor(reason: string) {
    super('SUPERVISOR_DASHBOARD_FORBIDDEN', `forbidden: ${reason}`);
  }
}

/** `stackbench-ctl dashboard` against a supervisor whose config has no `dashboard` key. */
export class DashboardNotConfiguredError extends StackbenchError {
  constructor(config: string) {
    super(
      'SUPERVISOR_DASHBOARD_OFF',
      `the supervisor of ${config} serves no dashboard; add "dashboard = 127.0.0.1:8100" to its [supervisor] section and restart it`,
      { exitCode: 2 },
    );
  }
}

/** The token file named by the supervisor cannot be read (other user, removed). */
export class TokenFileError extends StackbenchError {
  constructor(file: string, reason: string) {
    super(
      'SUPERVISOR_TOKEN_FILE',
      `cannot read the token file ${file} (${reason}); run as the supervisor's user`,
    );
  }
}

/** A dashboard request body past the limit. HTTP 413. */
export class BodyTooLargeError extends StackbenchError {
  constructor(limit: number) {
    super(
      'SUPERVISOR_DASHBOARD_TOO_LARGE',
      `request body over ${limit} bytes; a control request is a small JSON object like {"command":"incr","watcher":"web"}`,
      { exitCode: 2 },
    );
  }
}
