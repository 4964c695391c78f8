/**
 * One request before the first cycle: the target must answer and the success rule must hold,
 * else a `PreflightError` that shows what came back (status and the start of the body, or the
 * socket error). It uses the same client as the load, so it checks the same thing.
 */
import { PreflightError } from './errors.js';
import type { FailureKind } from './failure-kind.js';
import type { AnyLoadOptions } from './load-options.js';
import { buildTarget } from './target.js';
import { User } from './user.js';
import { validateLoadOptions } from './validate.js';

const SHOW_BODY = 200;

function describeFailure(kind: FailureKind, detail: string, user: User, options: AnyLoadOptions) {
  const body = user.lastBody;
  const shown = body.length > SHOW_BODY ? `${body.slice(0, SHOW_BODY)}…` : body;
  switch (kind) {
    case 'status':
      return `status ${detail} (expected ${options.expectStatus}), body ${JSON.stringify(shown)}`;
    case 'bodyMismatch':
      return `status ${user.lastStatus} but the body does not match /${options.expectBody}/: ${JSON.stringify(shown)}`;
    case 'connectRefused':
      return 'connection refused (is the server running and listening there?)';
    case 'connectionReset':
      return `connection reset by the server (${detail})`;
    case 'connectionClosed':
      return 'the server closed the connection before a complete response';
    case 'timeout':
      return `no complete response within ${options.timeoutS} s (--timeout)`;
    default:
      return `error ${detail}`;
  }
}

export function preflight(options: AnyLoadOptions): Promise<void> {
  validateLoadOptions(options);
  const target = buildTarget(options);
  return new Promise<void>((resolve, reject) => {
    const user: User = new User(
      target,
      {
        onSent: () => {},
        onBytes: () => {},
        onSuccess: () => {
          user.stop();
          resolve();
        },
        onFailure: (_start, _end, kind, detail) => {
          user.stop();
          reject(new PreflightError(options.url, describeFailure(kind, detail, user, options)));
        },
      },
      true,
    );
    user.start();
  });
}
