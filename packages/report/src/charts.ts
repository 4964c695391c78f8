/**
 * Vega-lite specs of the report's charts (committed as `.vl.json` beside their SVG): RPS over
 * CUs for all stacks (medians over windows with their intervals) with the capacity line, Funkload's duration bands per stack, failures.
 * Data is inlined and rounded so that a re-render is byte-identical.
 */
import { capacityRps } from '@stackbench/app/service-time';
import type { CycleRow } from './rows.js';
import type { Manifest } from './schema.js';

export type VegaLiteSpec = Record<string, unknown>;

export interface ChartStack {
  name: string;
  title: string;
  reference: boolean;
  rows: CycleRow[];
}

export interface ChartSpec {
  /** File name without extension, e.g. `rps`, `durations-prefork-rr`. */
  name: string;
  title: string;
  spec: VegaLiteSpec;
}

const round = (value: number) => Math.round(value * 1000) / 1000;
const SIZE = { width: 560, height: 300 };
const BASE = {
  $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
  ...SIZE,
  background: 'white',
  config: {
    font: 'sans-serif',
    axis: { grid: true },
    legend: { labelLimit: 240, symbolType: 'stroke', symbolStrokeWidth: 2 },
  },
};
const CUS_AXIS = {
  field: 'cus',
  type: 'quantitative',
  title: 'concurrent users (CUs)',
  axis: { format: 'd', tickMinStep: 1 },
};

function styleLabel(stack: ChartStack): string {
  return stack.reference ? 'reference' : 'stackbench';
}

/** Reference stacks dashed, with a legend entry; no dash legend when there are none. */
function kindDash(stacks: ChartStack[]): Record<string, unknown> {
  if (!stacks.some((s) => s.reference)) return {};
  return {
    strokeDash: {
      field: 'kind',
      type: 'nominal',
      title: 'kind',
      scale: {
        domain: ['stackbench', 'reference'],
        range: [
          [1, 0],
          [6, 4],
        ],
      },
      legend: { symbolStrokeColor: 'black' },
    },
  };
}

export function rpsChart(manifest: Manifest, stacks: ChartStack[]): ChartSpec {
  const values = stacks.flatMap((s) =>
    s.rows.map((r) => ({
      stack: s.name,
      kind: styleLabel(s),
      cus: r.cus,
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
        x: CUS_AXIS,
        y: { field: 'lo', type: 'quantitative' },
        y2: { field: 'hi' },
        color: { field: 'stack', type: 'nominal', title: 'stack' },
      },
    },
    {
      data: { values },
      mark: { type: 'line', point: true },
      encoding: {
        x: CUS_AXIS,
        y: { field: 'rps', type: 'quantitative', title: 'requests per second' },
        color: { field: 'stack', type: 'nominal', title: 'stack' },
        ...kindDash(stacks),
      },
    },
  ];
  const time = manifest.serviceTime;
  const cus = [...new Set(values.map((v) => v.cus))].sort((a, b) => a - b);
  if (time && cus.length) {
    const capacity = cus.map((c) => ({
      cus: c,
      rps: round(capacityRps(time, c, manifest.host.cores)),
      label: "app capacity (Little's law)",
    }));
    layers.push({
      data: { values: capacity },
      mark: { type: 'line', color: 'black', strokeDash: [2, 2], opacity: 0.7 },
      encoding: {
        x: CUS_AXIS,
        y: { field: 'rps', type: 'quantitative' },
        tooltip: { field: 'label', type: 'nominal' },
      },
    });
  }
  return {
    name: 'rps',
    title: 'Requests per second over concurrent users',
    spec: {
      ...BASE,
      title: 'Median RPS over CUs, bars: 95 % interval (dotted: app capacity)',
      layer: layers,
    },
  };
}

export function durationChart(stack: ChartStack): ChartSpec {
  const values = stack.rows.map((r) => ({
    cus: r.cus,
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
    ...(title ? { title } : {}),
  });
  const band = (low: string, high: string, opacity: number) => ({
    mark: { type: 'area', opacity, color: '#4c78a8' },
    encoding: { x: CUS_AXIS, y: y(low, 'duration (ms)'), y2: { field: high } },
  });
  const kind = stack.reference ? ' (reference)' : '';
  return {
    name: `durations-${stack.name}`,
    title: `Durations of ${stack.name}${kind}`,
    spec: {
      ...BASE,
      title: `${stack.name}${kind}: min/p10/med/p90/p95/max, avg dashed`,
      data: { values },
      layer: [
        band('min', 'max', 0.12),
        band('p10', 'p90', 0.3),
        {
          transform: [{ fold: ['med', 'p95', 'avg'], as: ['statistic', 'ms'] }],
          mark: { type: 'line', point: true },
          encoding: {
            x: CUS_AXIS,
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

export function failuresChart(stacks: ChartStack[]): ChartSpec {
  const values = stacks.flatMap((s) =>
    s.rows.map((r) => ({
      stack: s.name,
      kind: styleLabel(s),
      cus: r.cus,
      failurePct: round(100 - r.successPct),
    })),
  );
  return {
    name: 'failures',
    title: 'Failed requests over concurrent users',
    spec: {
      ...BASE,
      title: 'Failures (% of finished requests) over CUs',
      data: { values },
      mark: { type: 'line', point: true },
      encoding: {
        x: CUS_AXIS,
        y: { field: 'failurePct', type: 'quantitative', title: 'failed requests (%)' },
        color: { field: 'stack', type: 'nominal' },
        ...kindDash(stacks),
      },
    },
  };
}

export function allCharts(manifest: Manifest, stacks: ChartStack[]): ChartSpec[] {
  const withRows = stacks.filter((s) => s.rows.length > 0);
  return [
    rpsChart(manifest, withRows),
    ...withRows.map((s) => durationChart(s)),
    failuresChart(withRows),
  ];
}
