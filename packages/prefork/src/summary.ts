/**
 * The one-line summary the master logs on USR2: totals since the master started (the live
 * workers' latest cumulative `stats` plus the final counts of those that exited), then
 * `pid=requests` per live worker.
 */
import type { WorkerSlot } from './worker-slot.js';

/** What the workers that exited had counted, from their last (final) `stats` report. */
export interface ExitedTotals {
  workers: number;
  requests: number;
  errors: number;
}

export function formatSummary(
  slots: readonly WorkerSlot[],
  target: number,
  schedule: string,
  exited: ExitedTotals,
): string {
  const ordered = [...slots].sort((a, b) => a.age - b.age);
  const sum = (pick: (slot: WorkerSlot) => number) =>
    ordered.reduce((total, slot) => total + pick(slot), 0);
  const perWorker = ordered
    .map((slot) => `${slot.pid}=${slot.stats.requests}${slot.ready ? '' : '(booting)'}`)
    .join(' ');
  return [
    `workers=${ordered.length}/${target}`,
    `schedule=${schedule}`,
    `requests=${exited.requests + sum((s) => s.stats.requests)}`,
    `in_flight=${sum((s) => s.stats.inFlight)}`,
    `errors=${exited.errors + sum((s) => s.stats.errors)}`,
    `exited=${exited.workers}`,
    `per_worker: ${perWorker || '(none)'}`,
  ].join(' ');
}
