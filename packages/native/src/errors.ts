/** Errors of the native-server entries (codes NATIVE_*); only src/bin/*.ts maps them to exit codes. */
import { messageOf, StackbenchError } from '@stackbench/cli';

/** The app's export has no fetch face (`EXPORT.fetch(request) → Response`). */
export class NoFetchFaceError extends StackbenchError {
  constructor(spec: string, what: string) {
    super(
      'NATIVE_NO_FETCH',
      `APP ${spec} is ${what} without a fetch face: a native server calls EXPORT.fetch(request) and serves the Response it returns (@stackbench/app's benchApp and helloApp have one)`,
      { exitCode: 2 },
    );
  }
}

/** An entry started on the wrong runtime (the Bun entry under Node, say). */
export class WrongRuntimeError extends StackbenchError {
  constructor(entry: string, wanted: string, running: string) {
    super(
      'NATIVE_WRONG_RUNTIME',
      `${entry} serves with ${wanted}'s own server and runs on ${wanted}, not on ${running}; start it with the ${wanted} binary (npm run runtimes:install puts one in runtimes/)`,
      { exitCode: 2 },
    );
  }
}

/** The runtime could not listen (address in use, permission). */
export class NativeListenError extends StackbenchError {
  constructor(address: string, cause: unknown) {
    const reason = messageOf(cause);
    super('NATIVE_LISTEN_FAILED', `cannot listen on ${address}: ${reason}`, {
      exitCode: 2,
      cause,
    });
  }
}
