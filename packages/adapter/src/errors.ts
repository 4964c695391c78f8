/**
 * The adapter's error classes. Codes are stable (prefork and supervisor test for them); messages
 * name the culprit and say what would be valid. Bad input is exit code 2; `runCli` does the mapping.
 */
import { messageOf, type RaisedBy, StackbenchError } from '@stackbench/cli';

/**
 * The adapter as the raiser of the errors it shares with prefork (cli's `AddressInUseError`,
 * `AppLoadError`): codes `ADAPTER_ADDRESS_IN_USE` and `ADAPTER_APP_LOAD_FAILED`, exit code 2.
 */
export const ADAPTER: RaisedBy = { prefix: 'ADAPTER', exitCode: 2 };
export const ADAPTER_LISTEN = { ...ADAPTER, verb: 'listen on' };

/** How the adapter's messages name a module: `APP module "./a.js"`. */
export function moduleSubject(what: string, module: string): string {
  return `${what} module ${JSON.stringify(module)}`;
}

export type AdapterErrorCode =
  | 'ADAPTER_APP_SPEC_INVALID'
  | 'ADAPTER_APP_NOT_FOUND'
  | 'ADAPTER_APP_EXPORT_MISSING'
  | 'ADAPTER_APP_NOT_LISTENER'
  | 'ADAPTER_BACKEND_UNKNOWN'
  | 'ADAPTER_FD_NOT_OPEN'
  | 'ADAPTER_FD_NOT_SOCKET'
  | 'ADAPTER_FD_NOT_LISTENING'
  | 'ADAPTER_LISTEN_FAILED'
  | 'ADAPTER_REUSE_PORT_UNSUPPORTED'
  | 'ADAPTER_HOOK_NOT_FUNCTION'
  | 'ADAPTER_HOOK_FAILED';

export class AdapterError extends StackbenchError {
  declare readonly code: AdapterErrorCode;
  constructor(
    code: AdapterErrorCode,
    message: string,
    options: { exitCode?: number; cause?: unknown } = {},
  ) {
    super(code, message, options);
  }
}

/** `APP` is not `MODULE[:EXPORT]`. */
export class AppSpecError extends AdapterError {
  constructor(spec: string, why: string) {
    super(
      'ADAPTER_APP_SPEC_INVALID',
      `APP ${JSON.stringify(spec)} ${why}; expected MODULE[:EXPORT], e.g. @stackbench/app:benchApp or ./app.js:handler`,
      { exitCode: 2 },
    );
  }
}

/** The module named by `APP` (or a hook) cannot be found. */
export class AppNotFoundError extends AdapterError {
  constructor(what: string, module: string, where: string, cause?: unknown) {
    super(
      'ADAPTER_APP_NOT_FOUND',
      `${what} module ${JSON.stringify(module)} not found (looked from ${where}); give a package name installed there or a path to a .js file`,
      { exitCode: 2, cause },
    );
  }
}

/** The module has no such export. */
export class AppExportMissingError extends AdapterError {
  constructor(what: string, module: string, exportName: string, available: readonly string[]) {
    const list = available.length ? available.join(', ') : '(none)';
    super(
      'ADAPTER_APP_EXPORT_MISSING',
      `${what} module ${JSON.stringify(module)} has no export ${JSON.stringify(exportName)}; its exports are: ${list}`,
      { exitCode: 2 },
    );
  }
}

/** The export is neither a request listener nor a factory returning one. */
export class AppNotListenerError extends AdapterError {
  constructor(what: string, spec: string, found: string) {
    super(
      'ADAPTER_APP_NOT_LISTENER',
      `${what} ${JSON.stringify(spec)} is ${found}, not a request listener (req, res) => void or a factory () => listener`,
      { exitCode: 2 },
    );
  }
}

export class UnknownBackendError extends AdapterError {
  constructor(name: string, valid: readonly string[]) {
    super(
      'ADAPTER_BACKEND_UNKNOWN',
      `unknown backend ${JSON.stringify(name)}; valid backends: ${valid.join(', ')}`,
      { exitCode: 2 },
    );
  }
}

export class FdNotOpenError extends AdapterError {
  constructor(fd: number) {
    super(
      'ADAPTER_FD_NOT_OPEN',
      `--fd ${fd}: file descriptor ${fd} is not open in this process; the parent must pass a listening socket at that number`,
      { exitCode: 2 },
    );
  }
}

export class FdNotSocketError extends AdapterError {
  constructor(fd: number, kind: string) {
    super(
      'ADAPTER_FD_NOT_SOCKET',
      `--fd ${fd}: file descriptor ${fd} is ${kind}, not a socket; pass a listening TCP or Unix socket`,
      { exitCode: 2 },
    );
  }
}

export class FdNotListeningError extends AdapterError {
  constructor(fd: number, detail: string) {
    super(
      'ADAPTER_FD_NOT_LISTENING',
      `--fd ${fd}: the socket at file descriptor ${fd} is not listening (${detail}); the parent must bind and listen before passing it`,
      { exitCode: 2 },
    );
  }
}

/** `--reuse-port` on a Node without `listen({ reusePort })`, which it would silently ignore. */
export class ReusePortUnsupportedError extends AdapterError {
  constructor(nodeVersion: string) {
    super(
      'ADAPTER_REUSE_PORT_UNSUPPORTED',
      `--reuse-port needs Node >= 22.12 (net.Server listen({ reusePort })), this is Node ${nodeVersion}, which would ignore it and fail with EADDRINUSE in the second process; run the adapter on Node 22.12 or newer`,
      { exitCode: 2 },
    );
  }
}

export class ListenError extends AdapterError {
  constructor(address: string, cause: unknown) {
    const reason = messageOf(cause);
    super('ADAPTER_LISTEN_FAILED', `cannot listen on ${address}: ${reason}`, {
      exitCode: 2,
      cause,
    });
  }
}

/** A pre- or post-hook threw. */
export class HookError extends AdapterError {
  constructor(which: 'pre-hook' | 'post-hook', spec: string, cause: unknown) {
    const reason = messageOf(cause);
    super('ADAPTER_HOOK_FAILED', `--${which} ${spec} failed: ${reason}`, { exitCode: 1, cause });
  }
}

/** A hook export that is not a function. */
export class HookNotFunctionError extends AdapterError {
  constructor(which: 'pre-hook' | 'post-hook', spec: string, found: string) {
    super(
      'ADAPTER_HOOK_NOT_FUNCTION',
      `--${which} ${spec} is ${found}, not a function; a hook is (context) => void or async`,
      { exitCode: 2 },
    );
  }
}
