/**
 * The one-line summary the master logs on USR2: totals from the workers' latest `stats` reports
 * (cumulative counters, so totals only cover live workers), then `pid=requests` per worker.
 */
import type { WorkerSlot } from './worker-slot.js';

export function formatSummary(
  slots: readonly WorkerSlot[],
  target: number,
  schedule: string,
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
    `requests=${sum((s) => s.stats.requests)}`,
    `in_flight=${sum((s) => s.stats.inFlight)}`,
    `errors=${sum((s) => s.stats.errors)}`,
    `per_worker: ${perWorker || '(none)'}`,
  ].join(' ');
}
