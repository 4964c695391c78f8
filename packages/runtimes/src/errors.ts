/** Errors of the runtime resolver (codes RUNTIMES_*); only src/bin/*.ts maps them to exit codes. */
import { StackbenchError } from '@stackbench/cli';

/** A runtime name that is not in the catalog: names it and lists the valid ones. */
export class UnknownRuntimeError extends StackbenchError {
  constructor(names: string[], valid: readonly string[]) {
    super(
      'RUNTIMES_UNKNOWN',
      `unknown runtime${names.length > 1 ? 's' : ''} ${names.join(', ')}; valid runtimes: ${valid.join(', ')}`,
      { exitCode: 2 },
    );
  }
}

/** A catalogued runtime that is not installed (or does not run) in this workspace. */
export class RuntimeMissingError extends StackbenchError {
  readonly runtime: string;
  constructor(runtime: string, problem: string) {
    super(
      'RUNTIMES_MISSING',
      `runtime ${runtime}: ${problem}; install the pinned runtimes with npm run runtimes:install`,
    );
    this.runtime = runtime;
  }
}
