import { StackbenchError } from '@stackbench/cli';

export type DatabaseErrorCode =
  | 'DB_NOT_INSTALLED'
  | 'DB_BAD_OPTION'
  | 'DB_START_FAILED'
  | 'DB_FILL_FAILED'
  | 'DB_ABORTED';

/**
 * Why the private PostgreSQL cluster could not be had. The message is written for the user: it
 * names the value at fault, the command that installs PostgreSQL, or the tail of the server's log.
 */
export class DatabaseError extends StackbenchError {
  declare readonly code: DatabaseErrorCode;

  constructor(code: DatabaseErrorCode, message: string, options: { cause?: unknown } = {}) {
    super(code, message, { exitCode: code === 'DB_BAD_OPTION' ? 2 : 1, ...options });
  }
}
