/**
 * The one place that reads the load driver's windows: groups a stack's windows into cells
 * (stack × workload × connection mode × level: CUs, or offered load in an open loop), and gives each cell
 * its per-window values, their medians with confidence
 * intervals, and the latency distribution of all its requests from the merged HDR histograms
 * (percentiles are never averaged). A window another replaced (`replacedBy`: the host disturbed it
 * and it was run again) stays on disk and is counted as re-run, but its figures are left out.
 */
import type { LatencyStats } from '@stackbench/loadgen';
import { decode, latencyStats, newHistogram } from '@stackbench/loadgen/histogram';
import type {
  ConnectionMode,
  DriverCeiling,
  SampleWindow,
  StackResult,
  WindowNoise,
  WorkloadName,
} from '@stackbench/result';
import { connectionOf, levelOf, workloadOf } from './axis.js';
import { isDriverBound } from './driver-bound.js';
import { type CellGroupKey, compareGroups, groupKey } from './group.js';
import {
  METRIC_REGISTRY,
  type MetricRegistry,
  metricTable,
  WINDOW_METRICS,
  type WindowMetric,
} from './metrics.js';
import { type Summary, summarize } from './stats/index.js';
import { type WindowSizing, windowSizingOf } from './window-sizing.js';

export { windowCpuMsPerRequest } from './metrics.js';

/** The per-window figures a cell is summarised and compared on (the registry's `always`). */
export const METRICS = WINDOW_METRICS;
export type Metric = WindowMetric;

/** +1: higher is better (throughput); -1: lower is better (latency). */
export const BETTER: Record<Metric, 1 | -1> = metricTable(METRICS, 'better');

export const METRIC_LABEL: Record<Metric, string> = metricTable(METRICS, 'label');

/** A metric only some sets measured: its per-window values and their summary (null: none). */
export interface MeasuredMetric {
  values: number[];
  summary: Summary | null;
}

export interface Cell extends CellGroupKey {
  stack: string;
  /** What the requests of this cell's windows asked of the app. */
  workload: WorkloadName;
  /** How the users used connections in this cell's windows. */
  connection: ConnectionMode;
  /** CUs, or the offered rate or fraction of capacity (see axis.ts). */
  level: number;
  /** K: the windows this cell has. */
  windows: number;
  /** Per-window values, in the order the windows ran. */
  values: Record<Metric, number[]>;
  /** Median of the per-window values with its confidence interval. */
  summary: Record<Metric, Summary>;
  /** Latency of every successful request of the K windows, from their merged histograms. */
  merged: LatencyStats & { count: number };
  requests: { sent: number; succeeded: number; failed: number };
  /** Succeeded over finished requests, percent. */
  successPct: number;
  /** Jain's index per window (connections per worker, CPU per worker), where observed. */
  balance: { connections: Summary | null; cpu: Summary | null };
  /** Windows in which the host's CPU was above 90 % / the load driver was saturated. */
  hostBusyWindows: number;
  driverSaturatedWindows: number;
  /** Windows whose rate reached the driver's ceiling (driver-bound.ts; 0 without a ceiling). */
  driverBoundWindows: number;
  /** Open loop: the offered rates of the windows (they differ per round with `ratesOfCapacity`). */
  offeredRps: Summary | null;
  /** Open loop: windows in which the driver could not send at the offered rate. */
  rateMissedWindows: number;
  /**
   * The stack's CPU time per finished request, ms, per window and summarised: what a request
   * costs the host, the steadiest measure of work (null in sets without it).
   */
  cpuMsPerRequest: MeasuredMetric;
  /** Every metric of the registry not every window has (`cpuMsPerRequest` among them), by key. */
  measured: Partial<Record<string, MeasuredMetric>>;
  /** Windows the host disturbed that were run again (kept on disk, not in `windows`). */
  replacedWindows: number;
  /** Of the counted windows, those the host disturbed (`noise.disturbed` not empty). */
  disturbedWindows: number;
  /** The host during each counted window that recorded it (empty in older sets). */
  noise: WindowNoise[];
  /** How each counted window was sized, where the driver recorded it (empty otherwise). */
  sizing: WindowSizing[];
}

/** Above this share of the host's CPU a window measures the host as much as the stack. */
export const HOST_BUSY_PCT = 90;

function cellOf(
  stack: string,
  { workload, connection }: CellGroupKey,
  level: number,
  windows: SampleWindow[],
  replacedWindows: number,
  registry: MetricRegistry,
  ceiling: DriverCeiling | undefined,
): Cell {
  const cycles = windows.map((w) => w.load.cycles[0]!);
  const always = registry.filter((m) => m.always);
  const values = Object.fromEntries(
    always.map((m) => [m.key, windows.map((w) => m.of(w) as number)]),
  ) as Record<Metric, number[]>;
  const measured: Partial<Record<string, MeasuredMetric>> = {};
  for (const def of registry.filter((m) => !m.always)) {
    const list = windows.map(def.of).filter((v): v is number => v !== null);
    measured[def.key] = { values: list, summary: list.length ? summarize(list) : null };
  }
  const histogram = newHistogram(3);
  for (const c of cycles) if (c.histogram) histogram.add(decode(c.histogram));
  const sum = (pick: (c: (typeof cycles)[number]) => number) =>
    cycles.reduce((n, c) => n + pick(c), 0);
  const succeeded = sum((c) => c.requests.succeeded);
  const failed = sum((c) => c.requests.failed);
  const jain = (pick: (w: SampleWindow) => number | null | undefined) => {
    const list = windows.map(pick).filter((v): v is number => typeof v === 'number');
    return list.length ? summarize(list) : null;
  };
  const offered = windows
    .map((w) => w.offeredRps)
    .filter((v): v is number => typeof v === 'number');
  return {
    stack,
    workload,
    connection,
    level,
    windows: windows.length,
    values,
    summary: Object.fromEntries(
      always.map((m) => [m.key, summarize(values[m.key as Metric])]),
    ) as Record<Metric, Summary>,
    merged: { ...latencyStats(histogram), count: histogram.totalCount },
    requests: { sent: sum((c) => c.requests.sent), succeeded, failed },
    successPct: succeeded + failed === 0 ? 0 : (100 * succeeded) / (succeeded + failed),
    balance: {
      connections: jain((w) => w.balance?.connectionsJain),
      cpu: jain((w) => w.balance?.cpuJain),
    },
    hostBusyWindows: cycles.filter((c) => c.hostCpuBusyPercent > HOST_BUSY_PCT).length,
    driverSaturatedWindows: cycles.filter((c) => c.driverSaturated).length,
    driverBoundWindows: windows.filter((w) => isDriverBound(w, ceiling)).length,
    offeredRps: offered.length ? summarize(offered) : null,
    rateMissedWindows: cycles.filter((c) => c.openLoop && !c.openLoop.rateAchieved).length,
    cpuMsPerRequest: measured.cpuMsPerRequest!,
    measured,
    replacedWindows,
    disturbedWindows: windows.filter((w) => isDisturbed(w)).length,
    noise: windows.flatMap((w) => (w.noise ? [w.noise] : [])),
    sizing: cycles.flatMap((c) => {
      const sizing = windowSizingOf(c);
      return sizing ? [sizing] : [];
    }),
  };
}

/** A cell's median [95 % interval] of a metric, by key; null where its windows have no reading. */
export function cellSummary(cell: Cell, key: string): Summary | null {
  const always = cell.summary as Partial<Record<string, Summary>>;
  return always[key] ?? cell.measured[key]?.summary ?? null;
}

/** The host disturbed the window (steal or foreign CPU above the set's thresholds). */
export function isDisturbed(window: Pick<SampleWindow, 'noise'>): boolean {
  return (window.noise?.disturbed.length ?? 0) > 0;
}

/** A disturbed window that was run again: kept in the stack's file, not one of the cell's samples. */
export function isReplaced(window: Pick<SampleWindow, 'replacedBy'>): boolean {
  return typeof window.replacedBy === 'number';
}

/**
 * The windows a set's figures are made of, with their run: those of complete runs with one
 * cycle each (replaced ones included: callers count or drop them). Cells, pairs and the
 * database section read windows through this one walk.
 */
export function* countedWindows(
  result: StackResult,
): Generator<{ round: number; window: SampleWindow }> {
  for (const run of result.runs) {
    if (run.status !== 'complete') continue;
    for (const window of run.windows) {
      if (window.load.cycles.length === 1) yield { round: run.round, window };
    }
  }
}

/**
 * `prefork-rr`, `prefork-rr · close` for a cell of users that open a connection per request,
 * `prefork-rr · plaintext` for a workload other than the seed's.
 */
export function cellName(
  cell: Pick<Cell, 'stack' | 'connection'> & { workload?: WorkloadName },
): string {
  const workload = cell.workload && cell.workload !== 'seed' ? ` · ${cell.workload}` : '';
  const mode = cell.connection === 'keep-alive' ? '' : ` · ${cell.connection}`;
  return `${cell.stack}${workload}${mode}`;
}

/**
 * Cells of one stack, by workload, connection mode, then level; only windows of complete runs count, and
 * of those not the ones another window replaced. No driver-bound count (`stackCellsOfSet` has it).
 */
export function stackCells(result: StackResult): Cell[] {
  return registryCells(result, METRIC_REGISTRY);
}

/** `stackCells` with the set's driver ceiling (its manifest's), for the driver-bound count. */
export function stackCellsOfSet(result: StackResult, ceiling: DriverCeiling | undefined): Cell[] {
  return registryCells(result, METRIC_REGISTRY, ceiling);
}

/**
 * stackCells with the metrics of `registry` (a copy of METRIC_REGISTRY with an entry more, in a
 * test) and the set's driver ceiling; a function of its own so that `results.flatMap(stackCells)`
 * stays right.
 */
export function registryCells(
  result: StackResult,
  registry: MetricRegistry,
  ceiling?: DriverCeiling,
): Cell[] {
  const byCell = new Map<
    string,
    { group: CellGroupKey; level: number; windows: SampleWindow[]; replaced: number }
  >();
  for (const { window } of countedWindows(result)) {
    const group = { workload: workloadOf(window), connection: connectionOf(window) };
    const level = levelOf(window);
    const key = `${groupKey(group)}|${level}`;
    const cell = byCell.get(key) ?? { group, level, windows: [], replaced: 0 };
    if (isReplaced(window)) cell.replaced++;
    else cell.windows.push(window);
    byCell.set(key, cell);
  }
  return [...byCell.values()]
    .sort((a, b) => compareGroups(a.group, b.group) || a.level - b.level)
    .filter((c) => c.windows.length > 0)
    .map((c) =>
      cellOf(result.stack.name, c.group, c.level, c.windows, c.replaced, registry, ceiling),
    );
}
