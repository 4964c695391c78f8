/**
 * Charts that compare stacks at each level with their uncertainty: per level (a column), every
 * stack's median over the windows as a point and its 95 % interval as an error bar, on one x axis
 * shared by all stacks (each level its own range) — RPS in one chart, latency (p95 and max of each
 * window) in another.
 * With the few levels a set has, this shows what the ranking decides; the line charts over the
 * levels (charts.ts) show the trend.
 */
import { type Axis, levelLabel } from './axis.js';
import type { Metric } from './cells.js';
import { BASE, type ChartSpec, type ChartStack, round } from './chart-style.js';

interface Statistic {
  name: string;
  metric: Metric;
}

function intervalChart(
  stacks: ChartStack[],
  axis: Axis,
  statistics: Statistic[],
  xTitle: string,
): { values: Record<string, unknown>[]; spec: Record<string, unknown> } {
  const values = stacks.flatMap((s) =>
    s.rows.flatMap((r) =>
      statistics.map((st) => ({
        stack: s.reference ? `${s.name} (reference)` : s.name,
        level: levelLabel(axis, r.level),
        statistic: st.name,
        median: round(r.perWindow[st.metric].median),
        lo: round(r.perWindow[st.metric].lo),
        hi: round(r.perWindow[st.metric].hi),
        n: r.perWindow[st.metric].n,
      })),
    ),
  );
  const levels = [...new Set(stacks.flatMap((s) => s.rows.map((r) => r.level)))].sort(
    (a, b) => a - b,
  );
  const several = statistics.length > 1;
  const y = {
    field: 'stack',
    type: 'nominal',
    title: null,
    axis: { labelLimit: 320 },
    sort: stacks.map((s) => (s.reference ? `${s.name} (reference)` : s.name)),
  };
  const color = several
    ? {
        field: 'statistic',
        type: 'nominal',
        title: 'statistic',
        sort: statistics.map((s) => s.name),
      }
    : { value: '#4c78a8' };
  const yOffset = several
    ? { yOffset: { field: 'statistic', sort: statistics.map((s) => s.name) } }
    : {};
  const { width: _w, height: _h, ...base } = BASE;
  return {
    values,
    spec: {
      ...base,
      data: { values },
      facet: {
        column: {
          field: 'level',
          type: 'ordinal',
          sort: levels.map((l) => levelLabel(axis, l)),
          title: axis.title,
        },
      },
      // each level its own x range: 10 and 80 users differ by far more than stacks do
      resolve: { scale: { x: 'independent' } },
      spec: {
        width: Math.max(160, Math.floor(560 / Math.max(1, levels.length))),
        height: { step: several ? 20 : 16 },
        layer: [
          {
            mark: { type: 'rule', strokeWidth: 2, opacity: 0.7 },
            encoding: {
              y,
              ...yOffset,
              x: { field: 'lo', type: 'quantitative', title: xTitle, scale: { zero: false } },
              x2: { field: 'hi' },
              color,
            },
          },
          {
            mark: { type: 'point', filled: true, size: 40 },
            encoding: {
              y,
              ...yOffset,
              x: { field: 'median', type: 'quantitative' },
              color,
              tooltip: [
                { field: 'stack' },
                { field: 'statistic' },
                { field: 'median' },
                { field: 'lo' },
                { field: 'hi' },
                { field: 'n', title: 'windows' },
              ],
            },
          },
        ],
      },
    },
  };
}

// These two charts plot named figures (RPS; p95 and max) as vega-lite fields, by design: a chart
// is a place of its own, not one of the paired family, so a new paired metric adds no chart.
export function rpsIntervalChart(stacks: ChartStack[], axis: Axis): ChartSpec {
  const { spec } = intervalChart(
    stacks,
    axis,
    [{ name: 'RPS', metric: 'rps' }],
    'requests per second',
  );
  return {
    name: 'rps-intervals',
    stack: null,
    title: `RPS of every stack at each level, with 95 % intervals`,
    spec: {
      ...spec,
      title: 'Median RPS over the windows (dot) and its 95 % interval (bar), per level',
    },
  };
}

export function latencyChart(stacks: ChartStack[], axis: Axis): ChartSpec {
  const { spec } = intervalChart(
    stacks,
    axis,
    [
      { name: 'p95', metric: 'p95' },
      { name: 'max', metric: 'max' },
    ],
    'latency (ms)',
  );
  const over = axis.kind === 'users' ? 'concurrent users' : 'offered load';
  return {
    name: 'latency',
    stack: null,
    title: `Latency (p95, max) of every stack at each level of ${over}, with 95 % intervals`,
    spec: {
      ...spec,
      title:
        "Median over the windows of each window's p95 and max (dot) and its 95 % interval (bar), per level",
    },
  };
}
