/**
 * What splits a set's cells before levels do: the workload (what a request asks of the app) and
 * the connection mode. Every table, ranking, chart and comparison groups through here, so a
 * stack is only ever compared with another on the same work over the same kind of connections.
 * A seed-only set's groups are its connection modes alone, named as they always were.
 */
import type { ConnectionMode, WorkloadName } from '@stackbench/result';

export interface CellGroupKey {
  workload: WorkloadName;
  connection: ConnectionMode;
}

/** The order connection modes are listed in everywhere: keep-alive first. */
export const CONNECTION_ORDER: readonly ConnectionMode[] = ['keep-alive', 'close'];

/** The order workloads are listed in: the seed's first, then from the lightest. */
export const WORKLOAD_ORDER: readonly WorkloadName[] = ['seed', 'plaintext', 'json', 'db'];

/** A key that tells groups apart. */
export const groupKey = (g: CellGroupKey): string => `${g.workload}|${g.connection}`;

export const compareGroups = (a: CellGroupKey, b: CellGroupKey): number =>
  WORKLOAD_ORDER.indexOf(a.workload) - WORKLOAD_ORDER.indexOf(b.workload) ||
  CONNECTION_ORDER.indexOf(a.connection) - CONNECTION_ORDER.indexOf(b.connection);

/** The set measures more than its seed's app: labels then name the workload. */
export const namesWorkloads = (items: readonly CellGroupKey[]): boolean =>
  items.some((g) => g.workload !== 'seed');

/** Whether a table needs a group column: several groups, or a workload to name. */
export const severalGroups = (items: readonly CellGroupKey[]): boolean =>
  new Set(items.map(groupKey)).size > 1 || namesWorkloads(items);

/** `keep-alive`, or `plaintext · keep-alive` where the set names workloads. */
export function groupLabel(g: CellGroupKey, withWorkload: boolean): string {
  return withWorkload ? `${g.workload} · ${g.connection}` : g.connection;
}

/** The distinct groups of `items`, in the listing order. */
export function groupsOf(items: readonly CellGroupKey[]): CellGroupKey[] {
  const seen = new Map<string, CellGroupKey>();
  for (const g of items) {
    if (!seen.has(groupKey(g)))
      seen.set(groupKey(g), { workload: g.workload, connection: g.connection });
  }
  return [...seen.values()].sort(compareGroups);
}

export const sameGroup = (a: CellGroupKey, b: CellGroupKey): boolean =>
  a.workload === b.workload && a.connection === b.connection;

const WORKLOAD_TEXT: Record<WorkloadName, string> = {
  seed: "the seed's app",
  plaintext: 'plaintext (`GET /plaintext`)',
  json: 'JSON (`GET /json`)',
  db: 'db (`GET /db`: rows read from PostgreSQL)',
};

/** A workload in a heading: `plaintext (GET /plaintext)`. */
export const workloadText = (w: WorkloadName): string => WORKLOAD_TEXT[w];

/** The column a group label goes in. */
export const groupHeader = (withWorkload: boolean): string =>
  withWorkload ? 'workload · connection' : 'connection';
