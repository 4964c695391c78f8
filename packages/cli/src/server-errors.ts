/**
 * The errors every app server of the workspace raises alike (the adapter and the prefork master
 * both load an app and take an address): one class each, here at the bottom of the package graph
 * where both can import it. Each server keeps its own code prefix, exit code and wording (the
 * prefork master follows Gunicorn: 1 when the address is taken, 4 when the app cannot load), so
 * the server passes them in.
 */
import { messageOf, StackbenchError } from './errors.js';

/** The server raising an error: its codes' prefix (`ADAPTER`, `PREFORK`) and its exit code. */
export interface RaisedBy {
  prefix: string;
  exitCode: number;
}

/** The address is taken by another socket (EADDRINUSE). */
export class AddressInUseError extends StackbenchError {
  /** `verb`: what the server was doing, as its messages say it (`listen on`, `bind`). */
  constructor(by: RaisedBy & { verb: string }, address: string) {
    super(
      `${by.prefix}_ADDRESS_IN_USE`,
      `cannot ${by.verb} ${address}: address already in use; pick a free port (or 0) or stop what holds it`,
      { exitCode: by.exitCode },
    );
  }
}

/** The app (or a hook) module exists but could not be loaded. */
export class AppLoadError extends StackbenchError {
  /** `subject`: what failed, e.g. `APP module "./a.js"` or `App`; `reason` defaults to the cause's. */
  constructor(by: RaisedBy, subject: string, cause: unknown, reason = messageOf(cause)) {
    super(`${by.prefix}_APP_LOAD_FAILED`, `${subject} failed to load: ${reason}`, {
      exitCode: by.exitCode,
      cause,
    });
  }
}
