/**
 * What the pairs decide at each workload, connection mode and level: the cells there, the pairs
 * of stacks on each paired metric of the registry (pairs.ts: per pair the ratio over the rounds
 * both ran, Benjamini–Hochberg over the pairs of the level, FCR intervals) and the ranks they
 * give. The ranking, the summary, the twin's verdict and the results index all read this one
 * place, and iterate `byMetric` rather than name a metric (the lead one aside: `lead`).
 */

import type { ConnectionMode, StackResult, WorkloadName } from '@stackbench/result';
import { type Cell, cellSummary } from './cells.js';
import { groupKey, groupsOf, sameGroup } from './group.js';
import {
  leadOf,
  METRIC_REGISTRY,
  type MetricDef,
  type MetricRegistry,
  pairedOf,
} from './metrics.js';
import { type CellGroup, cellGroups, type GroupPairs, groupPairs, pairRanks } from './pairs.js';

export interface RankedCell {
  cell: Cell;
  /** 1 + the stacks the pairs decide are better (pairRanks). */
  rank: number;
  /** Another stack has the same rank. */
  tied: boolean;
}

/** One paired metric at a level: its pairs and the ranks they give. */
export interface MetricPairs {
  metric: MetricDef;
  pairs: GroupPairs;
  /** Best first: by rank, then by median in the metric's better direction, then by name. */
  ranked: RankedCell[];
}

export interface LevelPairs {
  workload: WorkloadName;
  connection: ConnectionMode;
  level: number;
  cells: Cell[];
  /** Every paired metric of the registry, in its order. */
  byMetric: MetricPairs[];
  /** The entry of LEAD_METRIC (metrics.ts says why one metric orders a level). */
  lead: MetricPairs;
}

function ranked(g: GroupPairs, cells: Cell[], metric: MetricDef): RankedCell[] {
  const byStack = new Map(cells.map((c) => [c.stack, c]));
  // a cell without a reading gives NaN, which falls through to the name
  const median = (c: Cell) => cellSummary(c, metric.key)?.median ?? Number.NaN;
  return pairRanks(
    g,
    cells.map((c) => c.stack),
  )
    .filter((r) => byStack.has(r.stack))
    .map((r) => ({ cell: byStack.get(r.stack)!, rank: r.rank, tied: r.tied }))
    .sort(
      (a, b) =>
        a.rank - b.rank ||
        metric.better * (median(b.cell) - median(a.cell)) ||
        a.cell.stack.localeCompare(b.cell.stack),
    );
}

/**
 * Per workload and mode (group.ts's order) and level (ascending), the cells and what their pairs
 * decide on each paired metric of `registry` (default METRIC_REGISTRY).
 */
export function levelPairs(
  results: readonly StackResult[],
  cells: readonly Cell[],
  registry: MetricRegistry = METRIC_REGISTRY,
): LevelPairs[] {
  const metrics = pairedOf(registry);
  const leadDef = leadOf(registry);
  const groups = new Map(
    cellGroups(results, registry).map((g) => [`${groupKey(g)}|${g.level}`, g]),
  );
  const out: LevelPairs[] = [];
  for (const g of groupsOf(cells)) {
    const here = cells.filter((c) => sameGroup(c, g));
    for (const level of [...new Set(here.map((c) => c.level))].sort((a, b) => a - b)) {
      const atLevel = here.filter((c) => c.level === level);
      const group: CellGroup = groups.get(`${groupKey(g)}|${level}`) ?? {
        ...g,
        level,
        stacks: new Map(),
      };
      const byMetric = metrics.map((metric): MetricPairs => {
        const pairs = groupPairs(group, metric);
        return { metric, pairs, ranked: ranked(pairs, atLevel, metric) };
      });
      const lead = byMetric.find((m) => m.metric === leadDef)!;
      out.push({ ...g, level, cells: atLevel, byMetric, lead });
    }
  }
  return out;
}

export function rankLabel(r: Pick<RankedCell, 'rank' | 'tied'>): string {
  return `${r.tied ? '=' : ''}${r.rank}`;
}
