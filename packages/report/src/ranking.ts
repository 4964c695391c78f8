/**
 * Ranking with certainty: at one level (CUs or offered load), stacks ordered by the median of a metric, where a
 * stack's rank is 1 + the number of stacks whose confidence interval lies wholly on the better
 * side of its own. Stacks whose intervals overlap can share a rank (a tie, written `=2`); the
 * rule needs no transitivity, so A ~ B and B ~ C with A ahead of C ranks them 1, =1, 2 or so.
 */
import { BETTER, type Cell, type Metric } from './cells.js';

export interface Ranked {
  cell: Cell;
  rank: number;
  /** Another stack has the same rank. */
  tied: boolean;
}

function clearlyBetter(metric: Metric, a: Cell, b: Cell): boolean {
  const sa = a.summary[metric];
  const sb = b.summary[metric];
  return BETTER[metric] === 1 ? sa.lo > sb.hi : sa.hi < sb.lo;
}

export function rank(cells: readonly Cell[], metric: Metric): Ranked[] {
  const ranked = cells.map((cell) => ({
    cell,
    rank: 1 + cells.filter((other) => other !== cell && clearlyBetter(metric, other, cell)).length,
    tied: false,
  }));
  for (const r of ranked) r.tied = ranked.some((o) => o !== r && o.rank === r.rank);
  const dir = BETTER[metric];
  return ranked.sort(
    (a, b) =>
      a.rank - b.rank ||
      dir * (b.cell.summary[metric].median - a.cell.summary[metric].median) ||
      a.cell.stack.localeCompare(b.cell.stack),
  );
}

export function rankLabel(r: Pick<Ranked, 'rank' | 'tied'>): string {
  return `${r.tied ? '=' : ''}${r.rank}`;
}
