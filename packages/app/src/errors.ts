import { StackbenchError } from '@stackbench/cli';

/** A bench-app parameter (environment variable) that is not valid: the app refuses to load. */
export class AppParameterError extends StackbenchError {
  readonly variable: string;

  constructor(variable: string, value: string, expected: string) {
    super(
      'APP_BAD_PARAMETER',
      `${variable}=${JSON.stringify(value)} is not valid: expected ${expected}`,
      {
        exitCode: 2,
      },
    );
    this.variable = variable;
  }
}
