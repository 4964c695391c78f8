/**
 * One stack's part of report.md: its status and versions, its cells (medians with intervals),
 * Funkload's table from the merged histograms, saturation, the server's resources per round and
 * its duration charts.
 */

import type { ManifestStack, StackResult } from '@stackbench/result';
import type { Axis } from './axis.js';
import { levelLabel } from './axis.js';
import type { Cell } from './cells.js';
import type { ChartSpec } from './charts.js';
import { namesWorkloads } from './group.js';
import { table } from './markdown-table.js';
import type { ResultSet } from './read-set.js';
import { cellRow } from './rows.js';
import { formatSummary } from './summary-format.js';
import { versionNumber } from './version-number.js';

const f = (value: number, digits: number) => value.toFixed(digits);
const ms = (value: number) => f(value, 1);

/**
 * The first columns of a cell's row: its workload (when the set names workloads), its connection
 * mode (when the set has several) and level.
 */
function cellColumns(cells: Cell[], axis: Axis): { header: string[]; of: (c: Cell) => string[] } {
  const withWorkload = namesWorkloads(cells);
  const several = new Set(cells.map((c) => c.connection)).size > 1;
  return {
    header: [...(withWorkload ? ['workload'] : []), ...(several ? ['connection'] : []), axis.unit],
    of: (c) => [
      ...(withWorkload ? [c.workload] : []),
      ...(several ? [c.connection] : []),
      String(c.level),
    ],
  };
}

function funkloadTable(cells: Cell[], axis: Axis): string {
  const first = cellColumns(cells, axis);
  return table(
    [
      ...first.header,
      'windows',
      'requests',
      'RPS',
      'success %',
      'avg',
      'min',
      'p10',
      'med',
      'p90',
      'p95',
      'p99',
      'max',
    ],
    cells.map((c) => {
      const r = cellRow(c);
      return [
        ...first.of(c),
        String(r.windows),
        String(r.requests),
        f(r.rps, 1),
        f(r.successPct, 2),
        ms(r.avg),
        ms(r.min),
        ms(r.p10),
        ms(r.med),
        ms(r.p90),
        ms(r.p95),
        ms(r.p99),
        ms(r.max),
      ];
    }),
  );
}

function windowTable(cells: Cell[], axis: Axis): string {
  const open = cells.some((c) => c.offeredRps);
  const cpu = cells.some((c) => c.cpuMsPerRequest.summary);
  const first = cellColumns(cells, axis);
  return table(
    [
      ...first.header,
      'windows',
      ...(open ? ['offered req/s'] : []),
      'RPS',
      'p50 ms',
      'p95 ms',
      'p99 ms',
      'max ms',
      ...(cpu ? ['CPU ms/req'] : []),
    ],
    cells.map((c) => [
      ...first.of(c),
      String(c.windows),
      ...(open ? [c.offeredRps ? formatSummary(c.offeredRps) : 'n/a'] : []),
      formatSummary(c.summary.rps),
      formatSummary(c.summary.p50),
      formatSummary(c.summary.p95),
      formatSummary(c.summary.p99),
      formatSummary(c.summary.max),
      ...(cpu
        ? [c.cpuMsPerRequest.summary ? formatSummary(c.cpuMsPerRequest.summary) : 'n/a']
        : []),
    ]),
  );
}

function serverTable(result: StackResult): string {
  const rows = result.runs
    .filter((run) => run.server.summary)
    .map((run) => {
      const s = run.server.summary!;
      return [
        String(run.round),
        String(s.samples),
        f(s.cpuPctAvg, 1),
        f(s.cpuPctMax, 1),
        f(s.rssMbAvg, 1),
        f(s.rssMbMax, 1),
        String(s.processesMax),
        String(s.restarts),
        s.acceptQueueMax === null ? 'n/a' : String(s.acceptQueueMax),
      ];
    });
  if (rows.length === 0) return '_No server samples._';
  return table(
    [
      'round',
      'samples',
      'CPU % of a core, avg',
      'CPU % of a core, max',
      'RSS MB avg',
      'RSS MB max',
      'processes',
      'restarts',
      'accept queue max',
    ],
    rows,
  );
}

/** Cells whose windows measure the host or the driver more than the stack. */
function saturationNote(cells: Cell[], axis: Axis): string | null {
  const list = (pick: (c: Cell) => number) =>
    cells
      .filter((c) => pick(c) > 0)
      .map((c) => `${levelLabel(axis, c.level)} (${pick(c)} of ${c.windows})`)
      .join(', ');
  const notes: string[] = [];
  const busy = list((c) => c.hostBusyWindows);
  const driver = list((c) => c.driverSaturatedWindows);
  if (busy)
    notes.push(
      `host CPU (all cores) above 90 % in windows at ${busy} (figures bounded by the host)`,
    );
  if (driver) notes.push(`load driver saturated in windows at ${driver}`);
  const bound = list((c) => c.driverBoundWindows);
  if (bound) {
    notes.push(
      `driver-bound (the rate reached the share of the driver's ceiling the ranking's note gives) in windows at ${bound}`,
    );
  }
  const disturbed = list((c) => c.disturbedWindows);
  if (disturbed) notes.push(`host disturbed (stolen or foreign CPU) in windows at ${disturbed}`);
  const rerun = list((c) => c.replacedWindows);
  if (rerun)
    notes.push(`windows re-run after a disturbance at ${rerun} (the first runs not counted)`);
  return notes.length ? `⚠️ ${notes.join('; ')}.` : null;
}

export function stackSection(
  entry: ManifestStack,
  set: ResultSet,
  cells: Cell[],
  axis: Axis,
  charts: ChartSpec[],
): string[] {
  const out: string[] = [];
  const result = set.stacks.find((s) => s.stack.name === entry.name);
  out.push(`## ${entry.name}${entry.reference ? ' (reference)' : ''}`, '');
  out.push(
    `${entry.title}. Status: **${entry.status}**${entry.reason ? ` (${entry.reason})` : ''}.`,
    '',
  );
  if (!result) return out;
  if (result.stack.description) out.push(result.stack.description, '');
  if (entry.runtime?.version) {
    out.push(
      `Runtime: ${entry.runtime.name}, ${entry.runtime.version} (${entry.runtime.source}).`,
      '',
    );
  }
  const versions = Object.entries(entry.versions);
  if (versions.length) {
    out.push(`Versions: ${versions.map(([k, v]) => `${k} ${versionNumber(v)}`).join(', ')}.`, '');
  }
  const keepAlive = Object.entries(entry.keepAlive ?? {});
  if (keepAlive.length) {
    out.push(`Keep-alive: ${keepAlive.map(([k, v]) => `${k}: ${v}`).join('; ')}.`, '');
  }
  for (const run of result.runs.filter((r) => r.status === 'failed')) {
    out.push(`Round ${run.round} failed: ${run.error ?? 'unknown error'}`, '');
    if (run.logTail.length) out.push('```', ...run.logTail, '```', '');
  }
  const capacities = result.runs.filter((r) => typeof r.capacityRps === 'number');
  if (capacities.length) {
    out.push(
      `Capacity per round (closed loop, ${set.manifest.profile.settings.capacityCus} users; the offered rates are fractions of it): ${capacities.map((r) => `round ${r.round} ${f(r.capacityRps as number, 1)}`).join(', ')} RPS.`,
      '',
    );
  }
  if (cells.length === 0) return out;
  out.push(
    "Per-window figures, median [95 % interval] (CPU ms/req: the CPU time of all the stack's processes over the window per finished request):",
    '',
    windowTable(cells, axis),
    '',
  );
  out.push(
    'All requests of the windows (durations in ms from the merged histograms; RPS the median over windows):',
    '',
    funkloadTable(cells, axis),
    '',
  );
  const note = saturationNote(cells, axis);
  if (note) out.push(note, '');
  out.push(
    "Server resources while loaded (CPU % of one core, summed over the stack's processes), per round:",
    '',
    serverTable(result),
    '',
  );
  for (const chart of charts.filter((c) => c.stack === entry.name)) {
    out.push(`![${chart.title}](charts/${chart.name}.svg)`, '');
  }
  return out;
}
