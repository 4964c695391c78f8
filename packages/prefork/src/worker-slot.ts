/**
 * What the master knows about one worker process. Plain data: the arbiter moves slots through
 * booting → ready → retiring; a slot being replaced (HUP, max-requests) stays ready until its
 * successor is listening.
 */
import type { Worker } from 'node:cluster';
import type { WorkerCounters } from '@stackbench/protocol';

export interface WorkerSlot {
  readonly worker: Worker;
  readonly pid: number;
  /** Spawn order: "oldest" means smallest. */
  readonly age: number;
  /** Last time (ms, monotonic) any message came from the worker's event loop. */
  lastSeen: number;
  ready: boolean;
  /** The request count at which the master replaces it; 0 = never. */
  readonly maxRequests: number;
  stats: WorkerCounters;
  /** Set when it was sent TERM (or QUIT); the master SIGKILLs it after the graceful timeout. */
  retiringSince?: number;
  /** Set once it was SIGKILLed (timeout or overdue retirement), so it is killed only once. */
  killed?: boolean;
  /** This worker is the successor of `replaces`, which retires once this one is ready. */
  replaces?: WorkerSlot;
  /** The successor booting in its place; a slot with one no longer counts towards -w. */
  replacedBy?: WorkerSlot;
}

/** Counts towards the -w target: not retiring and not about to be replaced. */
export function isCounted(slot: WorkerSlot): boolean {
  return slot.retiringSince === undefined && slot.replacedBy === undefined;
}
