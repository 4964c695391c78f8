/** What every chart shares: size, fonts, the x axis of levels, reference stacks dashed. */
import type { Axis } from './axis.js';
import type { CycleRow } from './rows.js';

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
  /** Where the report shows it: the set's charts (null), or the section of this stack. */
  stack: string | null;
  title: string;
  spec: VegaLiteSpec;
  /** Set when there is nothing to draw: the sentence the report shows instead of the chart. */
  empty?: string;
}

export const round = (value: number) => Math.round(value * 1000) / 1000;
export const SIZE = { width: 560, height: 300 };
export const BASE = {
  $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
  ...SIZE,
  background: 'white',
  config: {
    font: 'sans-serif',
    axis: { grid: true, labelLimit: 260 },
    legend: { labelLimit: 240, symbolType: 'stroke', symbolStrokeWidth: 2 },
  },
};
/**
 * The x encoding of every chart: the set's levels (CUs, or offered load). The scale starts at
 * the first level, not 0: a sweep from 10 CUs would leave the left of the plot empty.
 */
export function levelAxis(axis: Axis): Record<string, unknown> {
  return {
    field: 'level',
    type: 'quantitative',
    title: axis.title,
    scale: { zero: false },
    axis: axis.kind === 'capacity' ? { format: '.2f' } : { format: 'd', tickMinStep: 1 },
  };
}

export function styleLabel(stack: ChartStack): string {
  return stack.reference ? 'reference' : 'stackbench';
}

/**
 * A legend whose symbols are only a dash pattern (strokeDash without colour) draws them with no
 * stroke at all unless told: black strokes, 2 px, so that the patterns show.
 */
export const LEGEND_STROKE = {
  encode: { symbols: { update: { stroke: { value: 'black' }, strokeWidth: { value: 2 } } } },
};

/** Reference stacks dashed, with a legend entry; no dash legend when there are none. */
export function kindDash(stacks: ChartStack[]): Record<string, unknown> {
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
      legend: LEGEND_STROKE,
    },
  };
}

/** The colour of each stack, the same in every chart of a set (a fixed domain, in set order). */
export function stackColor(stacks: ChartStack[]): Record<string, unknown> {
  return {
    field: 'stack',
    type: 'nominal',
    title: 'stack',
    scale: { domain: stacks.map((s) => s.name) },
  };
}
