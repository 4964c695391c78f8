/**
 * What the pairs decide at each workload, connection mode and level: the cells there, the pairs of stacks
 * on RPS and on p95 (pairs.ts: per pair the ratio over the rounds both ran, Benjamini–Hochberg
 * over the pairs of the level, FCR intervals) and the ranks they give. The ranking, the summary,
 * the twin's verdict and the results index all read this one place.
 */

import type { ConnectionMode, StackResult, WorkloadName } from '@stackbench/result';
import type { Cell } from './cells.js';
import { groupKey, groupsOf, sameGroup } from './group.js';
import { metricDef, type PairMetric } from './metrics.js';
import { type CellGroup, cellGroups, type GroupPairs, groupPairs, pairRanks } from './pairs.js';

export interface RankedCell {
  cell: Cell;
  /** 1 + the stacks the pairs decide are better (pairRanks). */
  rank: number;
  /** Another stack has the same rank. */
  tied: boolean;
}

export interface LevelPairs {
  workload: WorkloadName;
  connection: ConnectionMode;
  level: number;
  cells: Cell[];
  rps: GroupPairs;
  p95: GroupPairs;
  /** Best first: by rank, then by median (RPS high, p95 low), then by name. */
  byRps: RankedCell[];
  byP95: RankedCell[];
}

function ranked(g: GroupPairs, cells: Cell[], metric: PairMetric): RankedCell[] {
  const byStack = new Map(cells.map((c) => [c.stack, c]));
  const dir = metricDef(metric).better;
  return pairRanks(
    g,
    cells.map((c) => c.stack),
  )
    .filter((r) => byStack.has(r.stack))
    .map((r) => ({ cell: byStack.get(r.stack)!, rank: r.rank, tied: r.tied }))
    .sort(
      (a, b) =>
        a.rank - b.rank ||
        dir * (b.cell.summary[metric].median - a.cell.summary[metric].median) ||
        a.cell.stack.localeCompare(b.cell.stack),
    );
}

/**
 * Per workload and mode (group.ts's order) and level (ascending), the cells and what their pairs
 * decide.
 */
export function levelPairs(results: readonly StackResult[], cells: readonly Cell[]): LevelPairs[] {
  const groups = new Map(cellGroups(results).map((g) => [`${groupKey(g)}|${g.level}`, g]));
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
      const rps = groupPairs(group, 'rps');
      const p95 = groupPairs(group, 'p95');
      out.push({
        ...g,
        level,
        cells: atLevel,
        rps,
        p95,
        byRps: ranked(rps, atLevel, 'rps'),
        byP95: ranked(p95, atLevel, 'p95'),
      });
    }
  }
  return out;
}

export function rankLabel(r: Pick<RankedCell, 'rank' | 'tied'>): string {
  return `${r.tied ? '=' : ''}${r.rank}`;
}
