/**
 * Vega-lite specs of the report's charts (committed as `.vl.json` beside their SVG): RPS over
 * the levels for all stacks (medians over windows with their intervals) with the capacity line,
 * RPS and latency of every stack at each level with intervals (interval-charts.ts), Funkload's
 * duration bands per stack (one y axis for all), failures (a sentence when there were none).
 * Data is inlined and rounded so that a re-render is byte-identical.
 */
import { capacityRps } from '@stackbench/app/service-time';
import type { Manifest } from '@stackbench/result';
import { type Axis, axisOf, connectionModes, workloadsOf } from './axis.js';
import {
  BASE,
  type ChartSpec,
  type ChartStack,
  kindDash,
  levelAxis,
  round,
  stackColor,
  styleLabel,
  type VegaLiteSpec,
} from './chart-style.js';
import { latencyChart, rpsIntervalChart } from './interval-charts.js';

export type { ChartSpec, ChartStack, VegaLiteSpec } from './chart-style.js';

/** The capacity line's label: what it is and which stacks it bounds. */
export const CAPACITY_LABEL = "Node app capacity (Little's law; Node stacks)";

// plots the rows' `rps` field (vega-lite data) by name: a chart is a place of its own, not one
// of the registry's paired family
export function rpsChart(manifest: Manifest, stacks: ChartStack[]): ChartSpec {
  const axis = axisOf(manifest.profile.settings);
  const X = levelAxis(axis);
  const values = stacks.flatMap((s) =>
    s.rows.map((r) => ({
      stack: s.name,
      kind: styleLabel(s),
      level: r.level,
      rps: round(r.rps),
      lo: round(r.rpsLo),
      hi: round(r.rpsHi),
    })),
  );
  const layers: VegaLiteSpec[] = [
    {
      // the 95 % interval of each median, as an error bar
      data: { values },
      mark: { type: 'rule', opacity: 0.6 },
      encoding: {
        x: X,
        y: { field: 'lo', type: 'quantitative' },
        y2: { field: 'hi' },
        color: stackColor(stacks),
      },
    },
    {
      data: { values },
      mark: { type: 'line', point: true },
      encoding: {
        x: X,
        y: { field: 'rps', type: 'quantitative', title: 'requests per second' },
        color: stackColor(stacks),
        ...kindDash(stacks),
      },
    },
  ];
  const time = manifest.serviceTime;
  const cus = [...new Set(values.map((v) => v.level))].sort((a, b) => a - b);
  // Little's law for closed-loop users and the Node app's service time: it bounds the stacks
  // that serve the Node app (not the Python ones), so the line says so where it is drawn
  // (the service time is the seed's app's: no bound for another workload's routes)
  const nodeStacks = stacks.some((s) => !s.reference);
  const seedApp = stacks.every((s) => s.rows.every((r) => r.workload === 'seed'));
  if (time && cus.length && axis.kind === 'users' && nodeStacks && seedApp) {
    const capacity = cus.map((c) => ({
      level: c,
      rps: round(capacityRps(time, c, manifest.host.cores)),
    }));
    layers.push(
      {
        data: { values: capacity },
        mark: { type: 'line', color: 'black', strokeDash: [2, 2], opacity: 0.7 },
        encoding: { x: X, y: { field: 'rps', type: 'quantitative' } },
      },
      {
        data: { values: capacity.slice(-1) },
        mark: {
          type: 'text',
          text: CAPACITY_LABEL,
          align: 'right',
          baseline: 'bottom',
          dy: -4,
          fontSize: 10,
        },
        encoding: { x: X, y: { field: 'rps', type: 'quantitative' } },
      },
    );
  }
  return {
    name: 'rps',
    stack: null,
    title: `Requests per second over ${axis.kind === 'users' ? 'concurrent users' : 'offered load'}`,
    spec: {
      ...BASE,
      title: `Median RPS over ${axis.unit}, bars: 95 % interval`,
      layer: layers,
    },
  };
}

/** One y range for every duration chart of a set, so that their heights compare. */
export function durationDomain(stacks: ChartStack[]): [number, number] {
  const top = Math.max(0, ...stacks.flatMap((s) => s.rows.map((r) => r.max)));
  return [0, Math.ceil(top / 100) * 100 || 100];
}

export function durationChart(stack: ChartStack, axis: Axis, domain: [number, number]): ChartSpec {
  const X = levelAxis(axis);
  const values = stack.rows.map((r) => ({
    level: r.level,
    min: round(r.min),
    p10: round(r.p10),
    med: round(r.med),
    p90: round(r.p90),
    p95: round(r.p95),
    max: round(r.max),
    avg: round(r.avg),
  }));
  const y = (field: string, title?: string) => ({
    field,
    type: 'quantitative',
    scale: { domain },
    ...(title ? { title } : {}),
  });
  const band = (low: string, high: string, opacity: number) => ({
    mark: { type: 'area', opacity, color: '#4c78a8' },
    encoding: { x: X, y: y(low, 'duration (ms)'), y2: { field: high } },
  });
  const kind = stack.reference ? ' (reference)' : '';
  return {
    name: `durations-${stack.name}`,
    stack: stack.name,
    title: `Durations of ${stack.name}${kind}`,
    spec: {
      ...BASE,
      title: `${stack.name}${kind}: min/p10/med/p90/p95/max, avg dashed (y axis shared by all stacks)`,
      data: { values },
      layer: [
        band('min', 'max', 0.12),
        band('p10', 'p90', 0.3),
        {
          transform: [{ fold: ['med', 'p95', 'avg'], as: ['statistic', 'ms'] }],
          mark: { type: 'line', point: true },
          encoding: {
            x: X,
            y: y('ms'),
            color: {
              field: 'statistic',
              type: 'nominal',
              title: 'bands: min–max, p10–p90',
              scale: { domain: ['med', 'p95', 'avg'], range: ['#1f3b5c', '#e45756', '#54a24b'] },
            },
            strokeDash: {
              field: 'statistic',
              type: 'nominal',
              scale: {
                domain: ['med', 'p95', 'avg'],
                range: [
                  [1, 0],
                  [1, 0],
                  [4, 3],
                ],
              },
            },
          },
        },
      ],
    },
  };
}

export function failuresChart(stacks: ChartStack[], axis: Axis): ChartSpec {
  const X = levelAxis(axis);
  const values = stacks.flatMap((s) =>
    s.rows.map((r) => ({
      stack: s.name,
      kind: styleLabel(s),
      level: r.level,
      failurePct: round(100 - r.successPct),
    })),
  );
  const windows = stacks.reduce((n, s) => n + s.rows.reduce((m, r) => m + r.windows, 0), 0);
  const failed = stacks.reduce((n, s) => n + s.rows.reduce((m, r) => m + r.failures, 0), 0);
  return {
    name: 'failures',
    stack: null,
    title: `Failed requests over ${axis.kind === 'users' ? 'concurrent users' : 'offered load'}`,
    ...(failed === 0 ? { empty: `no request failed in any of the ${windows} windows` } : {}),
    spec: {
      ...BASE,
      title: `Failures (% of finished requests) over ${axis.unit}`,
      data: { values },
      mark: { type: 'line', point: true },
      encoding: {
        x: X,
        y: { field: 'failurePct', type: 'quantitative', title: 'failed requests (%)' },
        color: stackColor(stacks),
        ...kindDash(stacks),
      },
    },
  };
}

export function allCharts(manifest: Manifest, stacks: ChartStack[]): ChartSpec[] {
  const axis = axisOf(manifest.profile.settings);
  const modes = connectionModes(manifest.profile.settings);
  const workloads = workloadsOf(manifest.profile.settings);
  // one set of charts per workload and connection mode; named with the workload when the set
  // has another than the seed's, with the mode only when there are several
  const withWorkload = workloads.some((w) => w !== 'seed');
  const groups = workloads.flatMap((workload) => modes.map((mode) => ({ workload, mode })));
  return groups.flatMap(({ workload, mode }) => {
    const only = stacks
      .map((s) => ({
        ...s,
        rows: s.rows.filter((r) => r.connection === mode && r.workload === workload),
      }))
      .filter((s) => s.rows.length > 0);
    if (withWorkload && only.length === 0) return [];
    const parts = [...(withWorkload ? [workload] : []), ...(modes.length > 1 ? [mode] : [])];
    const suffix = parts.map((p) => `-${p}`).join('');
    const label = parts.length ? ` (${parts.join(', ')})` : '';
    const named = (chart: ChartSpec): ChartSpec => ({
      ...chart,
      name: `${chart.name}${suffix}`,
      title: `${chart.title}${label}`,
      spec: { ...chart.spec, title: `${chart.spec.title as string}${label}` },
    });
    return [
      rpsChart(manifest, only),
      rpsIntervalChart(only, axis),
      latencyChart(only, axis),
      ...only.map((s) => durationChart(s, axis, durationDomain(stacks))),
      failuresChart(only, axis),
    ].map(named);
  });
}
