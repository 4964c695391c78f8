/**
 * Which worker the master must SIGKILL now, and why: one retiring past its graceful timeout (or,
 * while the master stops, past the stop's deadline), or one whose event loop has been silent
 * longer than `--timeout` (Gunicorn's WORKER TIMEOUT). A worker is killed once.
 */
import type { WorkerSlot } from './worker-slot.js';

export interface OverdueRules {
  /** The master is stopping: every retiring worker has the stop's deadline. */
  stopping: boolean;
  stopDeadline: number;
  gracefulTimeoutMs: number;
  /** 0: no heartbeat timeout. */
  timeoutMs: number;
}

export function overdue(
  slot: WorkerSlot,
  at: number,
  rules: OverdueRules,
): 'late' | 'timeout' | undefined {
  if (slot.killed) return undefined;
  if (slot.retiringSince !== undefined) {
    const deadline = rules.stopping
      ? rules.stopDeadline
      : slot.retiringSince + rules.gracefulTimeoutMs;
    return at < deadline ? undefined : 'late';
  }
  return rules.timeoutMs > 0 && at - slot.lastSeen > rules.timeoutMs ? 'timeout' : undefined;
}
