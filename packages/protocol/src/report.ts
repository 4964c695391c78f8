/**
 * Sending side of the worker reports: no-ops when the process has no IPC channel, and never
 * throws if the parent has gone (the channel may close between the check and the send).
 */
import type { WorkerMessage } from './worker-messages.js';

type Unpidded<M> = M extends WorkerMessage ? Omit<M, 'pid'> : never;

/** True when this process was started with an IPC channel that is still open. */
export function hasParentChannel(): boolean {
  return typeof process.send === 'function' && process.connected;
}

/** Sends one report to the parent, if there is one. Returns whether it was handed to the channel. */
export function sendToParent(message: Unpidded<WorkerMessage>): boolean {
  if (!hasParentChannel()) return false;
  try {
    process.send?.({ ...message, pid: process.pid }, undefined, undefined, () => {});
    return true;
  } catch {
    return false;
  }
}

export interface WorkerCounters {
  requests: number;
  inFlight: number;
  errors: number;
}

/**
 * Sends the last `stats` report of a worker that stops gracefully, and resolves once the channel
 * has taken it (false at once without a channel, or after `timeoutMs` if the channel does not
 * take it): a worker that exits right after a plain send may lose it, and the parent's counts
 * would miss everything since the previous interval.
 */
export function sendFinalStats(read: () => WorkerCounters, timeoutMs = 1000): Promise<boolean> {
  if (!hasParentChannel()) return Promise.resolve(false);
  return new Promise((resolve) => {
    // a parent that does not read (stopped, or its pipe full) must not hold the exit forever
    setTimeout(() => resolve(false), timeoutMs).unref();
    try {
      process.send?.(
        { type: 'stats', ...read(), pid: process.pid },
        undefined,
        undefined,
        (error) => resolve(error === null || error === undefined),
      );
    } catch {
      resolve(false);
    }
  });
}

/**
 * Sends a `stats` report every `intervalMs` (and a `heartbeat` with it when asked) while there is
 * a channel. The timer is unref'd so it never keeps a worker alive. Returns a stop function.
 */
export function startReports(
  read: () => WorkerCounters,
  options: { intervalMs?: number; heartbeat?: boolean } = {},
): () => void {
  if (!hasParentChannel()) return () => {};
  const timer = setInterval(() => {
    if (options.heartbeat) sendToParent({ type: 'heartbeat' });
    sendToParent({ type: 'stats', ...read() });
  }, options.intervalMs ?? 1000);
  timer.unref();
  return () => clearInterval(timer);
}
