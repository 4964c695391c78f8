/**
 * The base of every error a user can cause or fix. Each package subclasses it in its own
 * `errors.ts`; only the CLI layer (`runCli`) turns one into an exit code.
 */
export class StackbenchError extends Error {
  /** Stable machine-readable code, e.g. `ADAPTER_APP_NOT_FOUND`. */
  readonly code: string;
  /** Exit code the CLI layer uses for this error. */
  readonly exitCode: number;

  constructor(code: string, message: string, options: { exitCode?: number; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.exitCode = options.exitCode ?? 1;
  }
}

/** Bad command-line input: exit code 2, as usual for usage errors. */
export class UsageError extends StackbenchError {
  constructor(message: string) {
    super('USAGE', message, { exitCode: 2 });
  }
}

/** What a thrown value says: an Error's message, anything else as text (the reason in a message). */
export function messageOf(thrown: unknown): string {
  return thrown instanceof Error ? thrown.message : String(thrown);
}
