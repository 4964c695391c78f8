/**
 * The load driver's errors. Each has a stable code (`LOADGEN_*`) and a message that names the
 * value at fault and what would be valid. Bad input is exit code 2; only `src/bin` maps codes.
 */
import { StackbenchError } from '@stackbench/cli';

/** Malformed `--cycles` / `cycles`: names the bad token. */
export class CyclesError extends StackbenchError {
  readonly token: string;
  constructor(text: string, token: string, why: string) {
    super(
      'LOADGEN_BAD_CYCLES',
      `cycles ${JSON.stringify(text)}: bad token ${JSON.stringify(token)}: ${why}; ` +
        'expected positive whole numbers of users separated by ":", e.g. 50:100:150',
      { exitCode: 2 },
    );
    this.token = token;
  }
}

/** Malformed `--rate` / `rates`: names the bad token and the valid range. */
export class RatesError extends StackbenchError {
  readonly token: string;
  constructor(text: string, token: string, why: string, maxRate: number) {
    super(
      'LOADGEN_BAD_RATES',
      `rate ${JSON.stringify(text)}: bad token ${JSON.stringify(token)}: ${why}; ` +
        `expected requests per second > 0 and <= ${maxRate} separated by ":", e.g. 100:200:400`,
      { exitCode: 2 },
    );
    this.token = token;
  }
}

/** An option of `runLoad`/the CLI outside its valid range (URL, durations, threads…). */
export class LoadOptionError extends StackbenchError {
  readonly option: string;
  constructor(option: string, message: string) {
    super('LOADGEN_BAD_OPTION', `${option}: ${message}`, { exitCode: 2 });
    this.option = option;
  }
}

/** The one request before the first cycle did not succeed; says what came back. */
export class PreflightError extends StackbenchError {
  constructor(url: string, what: string) {
    super('LOADGEN_PREFLIGHT', `preflight request to ${url} failed: ${what} (no cycle was run)`, {
      exitCode: 2,
    });
  }
}

/** `--output` cannot be written; checked before any load is sent. */
export class OutputNotWritableError extends StackbenchError {
  constructor(path: string, reason: string) {
    super('LOADGEN_OUTPUT_NOT_WRITABLE', `--output ${path}: not writable (${reason})`, {
      exitCode: 2,
    });
  }
}

/** An option the chosen `--engine` cannot honour exactly: refused, never approximated. */
export class EngineUnsupportedError extends StackbenchError {
  readonly engine: string;
  readonly option: string;
  constructor(engine: string, option: string, value: string, why: string) {
    super(
      'LOADGEN_ENGINE_UNSUPPORTED',
      `--${option} ${value} is not supported by the ${engine} engine (${why}); ` +
        `use --engine native for it, or leave --${option} at its default with --engine ${engine}`,
      { exitCode: 2 },
    );
    this.engine = engine;
    this.option = option;
  }
}

/** The driver's ceiling (`--ceiling`) was not measured: its null server did not start, or it was interrupted. */
export class CeilingError extends StackbenchError {
  constructor(what: string) {
    super('LOADGEN_CEILING', `driver ceiling (--ceiling): ${what}`);
  }
}
