/** Failure counters by kind: create, count one, add two together (merging shards). */
import type { FailureKind } from './failure-kind.js';
import type { FailureCounts } from './result.js';

export function emptyFailures(): FailureCounts {
  return {
    total: 0,
    connectRefused: 0,
    connectionReset: 0,
    connectionClosed: 0,
    timeout: 0,
    status: {},
    bodyMismatch: 0,
    other: {},
  };
}

export function countFailure(counts: FailureCounts, kind: FailureKind, detail: string): void {
  counts.total++;
  if (kind === 'status' || kind === 'other') {
    counts[kind][detail] = (counts[kind][detail] ?? 0) + 1;
  } else {
    counts[kind]++;
  }
}

function addMaps(into: Record<string, number>, from: Record<string, number>): void {
  for (const [key, n] of Object.entries(from)) into[key] = (into[key] ?? 0) + n;
}

export function addFailures(into: FailureCounts, from: FailureCounts): void {
  into.total += from.total;
  into.connectRefused += from.connectRefused;
  into.connectionReset += from.connectionReset;
  into.connectionClosed += from.connectionClosed;
  into.timeout += from.timeout;
  into.bodyMismatch += from.bodyMismatch;
  addMaps(into.status, from.status);
  addMaps(into.other, from.other);
}
