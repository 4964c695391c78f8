/**
 * Worker reports (docs/contracts.md#worker-reports): the JSON messages a worker may send to its parent over
 * an IPC channel. Supervisor and prefork both read them; a worker without IPC sends nothing and
 * still works. A discriminated union, never free-form strings.
 */

/** The worker is listening and can take requests. */
export interface ReadyMessage {
  type: 'ready';
  pid: number;
  /** Where it listens, for logs: `fd:3`, `127.0.0.1:8080`, `unix:/path`. */
  listen?: string;
}

/**
 * Counters since the worker started (cumulative, so a lost message loses no requests; the
 * receiver derives rates from differences). Sent about once per second.
 */
export interface StatsMessage {
  type: 'stats';
  pid: number;
  /** Requests completed (response finished or connection closed mid-response). */
  requests: number;
  /** Requests received and not yet finished. */
  inFlight: number;
  /** Requests answered with a 5xx by the server, or whose handler threw. */
  errors: number;
}

/** Sent from the worker's event loop so a parent can detect a blocked loop (prefork timeout). */
export interface HeartbeatMessage {
  type: 'heartbeat';
  pid: number;
}

export type WorkerMessage = ReadyMessage | StatsMessage | HeartbeatMessage;
export type WorkerMessageType = WorkerMessage['type'];

const isCount = (value: unknown): value is number =>
  typeof value === 'number' && Number.isInteger(value) && value >= 0;

/** Validates a message received over IPC; anything else is ignored by receivers. */
export function isWorkerMessage(value: unknown): value is WorkerMessage {
  if (typeof value !== 'object' || value === null) return false;
  const message = value as Record<string, unknown>;
  if (!isCount(message.pid)) return false;
  switch (message.type) {
    case 'ready':
      return message.listen === undefined || typeof message.listen === 'string';
    case 'stats':
      return isCount(message.requests) && isCount(message.inFlight) && isCount(message.errors);
    case 'heartbeat':
      return true;
    default:
      return false;
  }
}
