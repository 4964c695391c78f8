/**
 * The supervisor's error classes. Each has a stable code (`SUPERVISOR_*`) and a message that names
 * the file, section, key, command or value at fault and what would be valid. Only `src/bin/*.ts`
 * turns them into exit codes (through `runCli`); bad input is exit code 2.
 */
import { messageOf, StackbenchError } from '@stackbench/cli';

/** One problem found while validating a config file. */
export interface ConfigIssue {
  /** e.g. `watcher:web`, or `` for keys outside any section. */
  section: string;
  key?: string;
  message: string;
}

function formatIssue(issue: ConfigIssue): string {
  const where = issue.key ? `[${issue.section}] ${issue.key}` : `[${issue.section}]`;
  return `  ${where}: ${issue.message}`;
}

/** Every problem of a config file, reported at once. */
export class ConfigError extends StackbenchError {
  readonly issues: readonly ConfigIssue[];
  constructor(file: string, issues: readonly ConfigIssue[]) {
    const count = issues.length === 1 ? '1 problem' : `${issues.length} problems`;
    super(
      'SUPERVISOR_CONFIG_INVALID',
      `${file}: ${count}:\n${issues.map(formatIssue).join('\n')}`,
      { exitCode: 2 },
    );
    this.issues = issues;
  }
}

/** The config file cannot be read at all. */
export class ConfigReadError extends StackbenchError {
  constructor(file: string, cause: unknown) {
    const reason = messageOf(cause);
    super('SUPERVISOR_CONFIG_UNREADABLE', `cannot read config ${file}: ${reason}`, {
      exitCode: 2,
      cause,
    });
  }
}

/** A `[socket:NAME]` could not be bound or put in listening state. */
export class SocketBindError extends StackbenchError {
  constructor(name: string, where: string, reason: string) {
    super(
      'SUPERVISOR_SOCKET_BIND',
      `[socket:${name}] cannot listen on ${where}: ${reason}; nothing was started (choose a free port or stop what holds it)`,
    );
  }
}

/** The control endpoint cannot be opened (path in use by a live supervisor, bad address). */
export class EndpointError extends StackbenchError {
  constructor(endpoint: string, reason: string) {
    super('SUPERVISOR_ENDPOINT', `control endpoint ${endpoint}: ${reason}`);
  }
}

/** `stackbench-ctl` cannot reach the supervisor. */
export class EndpointUnreachableError extends StackbenchError {
  constructor(endpoint: string, reason: string) {
    super(
      'SUPERVISOR_UNREACHABLE',
      `no supervisor answers at ${endpoint} (${reason}); is it running, and is --endpoint right?`,
    );
  }
}

/** A control request names a command that does not exist. */
export class UnknownCommandError extends StackbenchError {
  constructor(command: string, valid: readonly string[]) {
    super(
      'SUPERVISOR_UNKNOWN_COMMAND',
      `unknown command ${JSON.stringify(command)}; valid commands: ${valid.join(', ')}`,
      { exitCode: 2 },
    );
  }
}

/** A control request names a watcher that does not exist. */
export class UnknownWatcherError extends StackbenchError {
  constructor(watcher: string, valid: readonly string[]) {
    super(
      'SUPERVISOR_UNKNOWN_WATCHER',
      `unknown watcher ${JSON.stringify(watcher)}; watchers: ${valid.join(', ') || '(none)'}`,
      { exitCode: 2 },
    );
  }
}

/** A control request is malformed (missing watcher, bad N, bad signal, not JSON). */
export class BadRequestError extends StackbenchError {
  constructor(message: string) {
    super('SUPERVISOR_BAD_REQUEST', message, { exitCode: 2 });
  }
}

/** A TCP control request came without the right token. */
export class TokenError extends StackbenchError {
  constructor(reason = 'missing or wrong token') {
    super(
      'SUPERVISOR_TOKEN',
      `${reason}: TCP control requests must carry the token from the token file (stackbench-ctl --token-file)`,
    );
  }
}

/** The control endpoint holds as many connections as it allows; this one is refused. */
export class BusyError extends StackbenchError {
  constructor(what: string, limit: number) {
    super(
      'SUPERVISOR_BUSY',
      `too many ${what} (at most ${limit} at once); close idle clients and try again`,
    );
  }
}

/** The command is valid but the watcher's state forbids it (singleton incr, reload of a stopped watcher). */
export class WatcherStateError extends StackbenchError {
  constructor(watcher: string, message: string) {
    super('SUPERVISOR_WATCHER_STATE', `watcher ${watcher}: ${message}`);
  }
}

/** A rolling reload could not bring up a ready replacement; the old processes were kept. */
export class ReloadError extends StackbenchError {
  constructor(watcher: string, reason: string) {
    super(
      'SUPERVISOR_RELOAD_FAILED',
      `reload of ${watcher} stopped: ${reason}; the old processes keep serving`,
    );
  }
}

/** An error the supervisor answered to `stackbench-ctl`, re-raised on the client side. */
export class RemoteError extends StackbenchError {
  constructor(code: string, message: string, exitCode: number) {
    super(code, message, { exitCode });
  }
}
