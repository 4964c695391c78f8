/**
 * The metric registry: every figure a window is summarised, compared, paired and ranked on,
 * with its label, its better direction, its unit and how it is read from one window. Cells,
 * compare, the A/B verdict, the pairs and the prose that names a metric read it from here, so a
 * new metric is one entry (plus whatever renders it in a place of its own).
 */
import type { SampleWindow } from '@stackbench/result';

/** The stack's CPU time over a window per request it finished; null without a CPU reading or a request. */
export function windowCpuMsPerRequest(window: SampleWindow): number | null {
  if (typeof window.serverCpuMs !== 'number') return null;
  const { succeeded, failed } = window.load.cycles[0]!.requests;
  const done = succeeded + failed;
  return done > 0 ? window.serverCpuMs / done : null;
}

const cycle = (w: SampleWindow) => w.load.cycles[0]!;

export interface MetricDef {
  key: string;
  /** In tables and compare rows (`p95 ms`). */
  label: string;
  /** In sentences (`p95`, `CPU per request`) and in short columns (`CPU/req`). */
  prose: string;
  short: string;
  /** +1: higher is better (throughput); −1: lower is better (latency, CPU per request). */
  better: 1 | -1;
  unit: 'requests/s' | 'ms' | 'ms/request';
  /** The window's value; null where the window has no reading (older sets). */
  of: (window: SampleWindow) => number | null;
  /** Every window has it (a cell's `values`); false: only sets that measured it. */
  always: boolean;
  /** Decided between stacks by pairs (the ranking) and between A/B sides. */
  paired: boolean;
  ab: boolean;
  /** What the figure is, where a sentence names it among others (the A/B method). */
  gloss?: string;
}

export const METRIC_REGISTRY = [
  {
    key: 'rps',
    label: 'RPS',
    prose: 'RPS',
    short: 'RPS',
    better: 1,
    unit: 'requests/s',
    of: (w) => cycle(w).rps.total,
    always: true,
    paired: true,
    ab: true,
  },
  {
    key: 'p50',
    label: 'p50 ms',
    prose: 'p50',
    short: 'p50',
    better: -1,
    unit: 'ms',
    of: (w) => cycle(w).latencyMs.p50,
    always: true,
    paired: false,
    ab: false,
  },
  {
    key: 'p95',
    label: 'p95 ms',
    prose: 'p95',
    short: 'p95',
    better: -1,
    unit: 'ms',
    of: (w) => cycle(w).latencyMs.p95,
    always: true,
    paired: true,
    ab: true,
  },
  {
    key: 'p99',
    label: 'p99 ms',
    prose: 'p99',
    short: 'p99',
    better: -1,
    unit: 'ms',
    of: (w) => cycle(w).latencyMs.p99,
    always: true,
    paired: false,
    ab: false,
  },
  {
    key: 'max',
    label: 'max ms',
    prose: 'max',
    short: 'max',
    better: -1,
    unit: 'ms',
    of: (w) => cycle(w).latencyMs.max,
    always: true,
    paired: false,
    ab: false,
  },
  {
    key: 'cpuMsPerRequest',
    label: 'CPU ms/req',
    prose: 'CPU per request',
    short: 'CPU/req',
    better: -1,
    unit: 'ms/request',
    of: windowCpuMsPerRequest,
    always: false,
    paired: false,
    ab: true,
    gloss: "the stack's CPU time over the window per finished request",
  },
] as const satisfies readonly MetricDef[];

export type MetricKey = (typeof METRIC_REGISTRY)[number]['key'];
type Def<P extends keyof MetricDef, V> = Extract<(typeof METRIC_REGISTRY)[number], Record<P, V>>;
/** Metrics every window has: a cell's per-window `values` and `summary`. */
export type WindowMetric = Def<'always', true>['key'];
/** Metrics decided by pairs of stacks (ranks, the twin, the index). */
export type PairMetric = Def<'paired', true>['key'];
/** Metrics of an A/B set's verdict. */
export type AbMetric = Def<'ab', true>['key'];

/**
 * A list of metric definitions in registry order: METRIC_REGISTRY, or a copy with an entry more
 * (a test's synthetic metric). The paired family (cells, level pairs, the A/B verdict) takes one
 * as a parameter, defaulting to METRIC_REGISTRY, and iterates it.
 */
export type MetricRegistry = readonly MetricDef[];

/**
 * The paired metric a level's order is stated on — the summary line, the pair table's row order,
 * the results index's leaders, the twin's conclusion and the A/B resolution: throughput, the
 * figure a reader compares servers by first; every other paired metric is ranked beside it.
 */
export const LEAD_METRIC: PairMetric = 'rps';

/** The registry's metrics decided by pairs of stacks, in its order. */
export const pairedOf = (registry: MetricRegistry): MetricDef[] => registry.filter((m) => m.paired);

/** The registry's metrics of an A/B verdict, in its order. */
export const abOf = (registry: MetricRegistry): MetricDef[] => registry.filter((m) => m.ab);

/** The registry's lead metric (LEAD_METRIC); a registry without it cannot order a level. */
export function leadOf(registry: MetricRegistry): MetricDef {
  const lead = registry.find((m) => m.key === LEAD_METRIC && m.paired);
  if (!lead) {
    throw new RangeError(
      `metric registry: no paired entry "${LEAD_METRIC}" (the lead metric); keys: ${registry.map((m) => m.key).join(', ')}`,
    );
  }
  return lead;
}

export function metricDef(key: MetricKey): MetricDef {
  return METRIC_REGISTRY.find((m) => m.key === key)!;
}

const keysWhere = <K extends MetricKey>(pick: (m: MetricDef) => boolean): readonly K[] =>
  METRIC_REGISTRY.filter(pick).map((m) => m.key as K);

export const WINDOW_METRICS = keysWhere<WindowMetric>((m) => m.always);
export const PAIR_METRICS = keysWhere<PairMetric>((m) => m.paired);
export const AB_METRIC_KEYS = keysWhere<AbMetric>((m) => m.ab);

/** `{ key: field }` of the registry, for the tables the code used to write by hand. */
export function metricTable<K extends MetricKey, F extends keyof MetricDef>(
  keys: readonly K[],
  field: F,
): Record<K, MetricDef[F]> {
  return Object.fromEntries(keys.map((k) => [k, metricDef(k)[field]])) as Record<K, MetricDef[F]>;
}
