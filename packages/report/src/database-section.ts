/**
 * `## The database`: for a set with a db workload, which PostgreSQL ran (or why the db cells were
 * skipped), and per db cell what the database did — its CPU per request with the stack's beside
 * it, the database's share of the two, its share of the host's CPU, and the client connections
 * the stacks' pools held. Read from each window's `database` readings; every figure the median of
 * the cell's windows with its 95 % interval and its n.
 */
import type { Manifest, SampleWindow, StackResult } from '@stackbench/result';
import { type Axis, connectionOf, levelLabel, levelOf, workloadOf } from './axis.js';
import { countedWindows, isReplaced } from './cells.js';
import { table } from './markdown-table.js';
import { windowCpuMsPerRequest } from './metrics.js';
import { summarize } from './stats/index.js';
import { formatSummary } from './summary-format.js';

interface DbCell {
  stack: string;
  connection: string;
  level: number;
  windows: SampleWindow[];
}

function dbCells(results: readonly StackResult[]): DbCell[] {
  const out = new Map<string, DbCell>();
  for (const result of results) {
    for (const { window: w } of countedWindows(result)) {
      if (workloadOf(w) !== 'db' || !w.database || isReplaced(w)) continue;
      const key = `${result.stack.name}|${connectionOf(w)}|${levelOf(w)}`;
      const cell = out.get(key) ?? {
        stack: result.stack.name,
        connection: connectionOf(w),
        level: levelOf(w),
        windows: [],
      };
      cell.windows.push(w);
      out.set(key, cell);
    }
  }
  return [...out.values()];
}

const finished = (w: SampleWindow) => {
  const r = w.load.cycles[0]!.requests;
  return r.succeeded + r.failed;
};

/** The database's CPU per finished request of a window, ms; null without a reading or a request. */
export function windowDbCpuMsPerRequest(w: SampleWindow): number | null {
  const cpu = w.database?.cpuMs;
  return typeof cpu === 'number' && finished(w) > 0 ? cpu / finished(w) : null;
}

const figure = (values: (number | null)[], digits?: number) => {
  const list = values.filter((v): v is number => v !== null && Number.isFinite(v));
  return list.length ? `${formatSummary(summarize(list), digits)} n=${list.length}` : 'n/a';
};

export function databaseSection(
  manifest: Manifest,
  results: readonly StackResult[],
  axis: Axis,
): string[] {
  const db = manifest.database;
  if (!db) return [];
  const out = ['## The database', ''];
  if (db.skipped) {
    out.push(`The db cells were skipped: ${db.skipped}.`);
    return out;
  }
  out.push(
    `PostgreSQL ${db.version ?? '(version not recorded)'}, ${db.where}: a \`world\` table of ${db.rows} rows, ${db.queries} ${db.queries === 1 ? 'query' : 'queries'} per request on a pool of ${db.poolSize} connections per worker, \`max_connections\` ${db.maxConnections}. Per db cell, the median over its windows [95 % interval] and n: the database's CPU time per finished request (all its processes, from /proc) beside the stack's own, the database's share of the two, its share of all the host's CPU, and the client connections the database held — the pools of every stack of the round, the idle ones of the stacks not measured then included (the mean of readings at the start, middle and end of each window; max: the most any reading saw).`,
    '',
  );
  const cells = dbCells(results).sort(
    (a, b) =>
      a.connection.localeCompare(b.connection) ||
      a.level - b.level ||
      manifest.stacks.findIndex((s) => s.name === a.stack) -
        manifest.stacks.findIndex((s) => s.name === b.stack),
  );
  if (cells.length === 0) {
    out.push('No db window recorded the database.');
    return out;
  }
  const several = new Set(cells.map((c) => c.connection)).size > 1;
  const rows = cells.map((c) => {
    const share = c.windows.map((w) => {
      const dbMs = w.database?.cpuMs;
      const stackMs = w.serverCpuMs;
      return typeof dbMs === 'number' && typeof stackMs === 'number' && dbMs + stackMs > 0
        ? (100 * dbMs) / (dbMs + stackMs)
        : null;
    });
    return [
      c.stack,
      `${levelLabel(axis, c.level)}${several ? ` ${c.connection}` : ''}`,
      figure(c.windows.map(windowDbCpuMsPerRequest), 3),
      figure(c.windows.map(windowCpuMsPerRequest), 3),
      figure(share, 1),
      figure(
        c.windows.map((w) => w.database?.cpuPct ?? null),
        1,
      ),
      `${figure(
        c.windows.map((w) => w.database?.connections ?? null),
        1,
      )} (max ${Math.max(...c.windows.map((w) => w.database?.connectionsMax ?? 0))})`,
    ];
  });
  out.push(
    table(
      [
        'stack',
        'cell',
        'database CPU ms / request',
        'stack CPU ms / request',
        'database share %',
        'database % of host CPU',
        'connections held',
      ],
      rows,
      ['l', 'l', 'r', 'r', 'r', 'r', 'r'],
    ),
  );
  return out;
}
