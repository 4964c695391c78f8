/**
 * One latency chart across stacks on one y axis: p95 and p99 of every request of a cell (merged
 * histograms) over the levels. Over offered load (an open-loop set) this is the hockey stick:
 * flat while the stack keeps up, then steep where queueing begins.
 */
import type { Axis } from './axis.js';
import { BASE, type ChartSpec, type ChartStack, levelAxis, round } from './chart-style.js';

export function latencyChart(stacks: ChartStack[], axis: Axis): ChartSpec {
  const values = stacks.flatMap((s) =>
    s.rows.flatMap((r) =>
      (['p95', 'p99'] as const).map((statistic) => ({
        stack: s.reference ? `${s.name} (reference)` : s.name,
        level: r.level,
        statistic,
        ms: round(r[statistic]),
      })),
    ),
  );
  const over = axis.kind === 'users' ? 'concurrent users' : 'offered load';
  return {
    name: 'latency',
    title: `Latency (p95, p99) over ${over}, all stacks`,
    spec: {
      ...BASE,
      title: `p95 (solid) and p99 (dashed) over ${axis.unit}, all requests of the windows`,
      data: { values },
      mark: { type: 'line', point: true },
      encoding: {
        x: levelAxis(axis),
        y: { field: 'ms', type: 'quantitative', title: 'latency (ms)' },
        color: { field: 'stack', type: 'nominal', title: 'stack' },
        strokeDash: {
          field: 'statistic',
          type: 'nominal',
          title: 'percentile',
          scale: {
            domain: ['p95', 'p99'],
            range: [
              [1, 0],
              [6, 4],
            ],
          },
          legend: { symbolStrokeColor: 'black' },
        },
        detail: { field: 'statistic' },
      },
    },
  };
}
