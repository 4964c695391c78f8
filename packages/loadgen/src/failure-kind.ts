/** How a request can fail, and how socket errors map onto those kinds. */
export type FailureKind =
  | 'connectRefused'
  | 'connectionReset'
  | 'connectionClosed'
  | 'timeout'
  | 'status'
  | 'bodyMismatch'
  | 'other';

export function classifySocketError(error: NodeJS.ErrnoException): FailureKind {
  switch (error.code) {
    case 'ECONNREFUSED':
      return 'connectRefused';
    case 'ECONNRESET':
    case 'EPIPE':
      return 'connectionReset';
    default:
      return 'other';
  }
}
