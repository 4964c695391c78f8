/**
 * Compare two result sets the way benchstat compares benchmarks: per cell (stack × CUs) and
 * metric, base and head medians with their confidence intervals, the change of the medians, and
 * a two-sided Mann–Whitney U test over the per-window values. A change is reported (worse or
 * better) only when the test, after the correction for multiple comparisons, is below α;
 * otherwise `~`. Sizes for which the test can never reach α are said, not guessed around.
 */
import { type Axis, axisOf, levelLabel } from './axis.js';
import { BETTER, type Cell, cellName, METRICS, type Metric, stackCells } from './cells.js';
import { IncomparableSetsError } from './errors.js';
import type { ResultSet } from './read-set.js';
import type { ConnectionMode, Manifest } from './schema.js';
import {
  adjustPValues,
  type Correction,
  mannWhitneyU,
  minAchievableP,
  type Summary,
} from './stats/index.js';

/**
 * Which tests form one family for the correction: `cell` — the metrics of one cell (Holm), so
 * that under no change at most α of the cells are flagged; `set` — every test of the comparison
 * (Benjamini–Hochberg, false discovery rate α); `none` — raw p-values, as benchstat.
 */
export const CORRECTIONS = ['cell', 'set', 'none'] as const;
export type CorrectionScope = (typeof CORRECTIONS)[number];

export interface CompareOptions {
  /** Significance level of the rank test. */
  alpha: number;
  correction: CorrectionScope;
  /** Compare even when profile hash or host class differ. */
  force: boolean;
}

export const DEFAULT_COMPARE = { alpha: 0.05, correction: 'cell', force: false } as const;

export type Verdict = 'worse' | 'better' | '~';

export interface MetricComparison {
  metric: Metric;
  base: Summary;
  head: Summary;
  /** Change of the median, percent of the base median. */
  deltaPct: number;
  /** Two-sided Mann–Whitney U p-value, and after the correction. */
  p: number;
  pAdjusted: number;
  verdict: Verdict;
}

export interface CellComparison {
  stack: string;
  connection: ConnectionMode;
  level: number;
  metrics: MetricComparison[];
}

export interface Comparison {
  /** What the cells' levels are (the head set's). */
  axis: Axis;
  alpha: number;
  correction: CorrectionScope;
  warnings: string[];
  cells: CellComparison[];
  /** Stacks present in only one of the sets. */
  unmatched: string[];
  /** Sample sizes (base vs head) for which the test cannot reach α, with the smallest p. */
  underpowered: { base: number; head: number; minP: number }[];
  counts: Record<Verdict, number>;
}

export function hostClass(manifest: Manifest): string {
  return `${manifest.host.cpuModel} × ${manifest.host.cores} cores`;
}

/** Reasons two sets are not comparable; empty when they are. */
export function incomparability(base: Manifest, head: Manifest): string[] {
  const reasons: string[] = [];
  if (base.profile.hash !== head.profile.hash) {
    reasons.push(
      `profile differs: base ${base.profile.name} (hash ${base.profile.hash}), head ${head.profile.name} (hash ${head.profile.hash})`,
    );
  }
  if (axisOf(base.profile.settings).kind !== axisOf(head.profile.settings).kind) {
    reasons.push(
      `load differs: base measures ${axisOf(base.profile.settings).title}, head ${axisOf(head.profile.settings).title}`,
    );
  }
  if (hostClass(base) !== hostClass(head)) {
    reasons.push(`host class differs: base ${hostClass(base)}, head ${hostClass(head)}`);
  }
  return reasons;
}

function pairCells(
  base: ResultSet,
  head: ResultSet,
): { pairs: [Cell, Cell][]; unmatched: string[] } {
  const headByName = new Map(head.stacks.map((s) => [s.stack.name, s]));
  const baseNames = new Set(base.stacks.map((s) => s.stack.name));
  const unmatched = [
    ...base.stacks.filter((s) => !headByName.has(s.stack.name)).map((s) => s.stack.name),
    ...head.stacks.filter((s) => !baseNames.has(s.stack.name)).map((s) => s.stack.name),
  ];
  const pairs: [Cell, Cell][] = [];
  for (const baseStack of base.stacks) {
    const headStack = headByName.get(baseStack.stack.name);
    if (!headStack) continue;
    const key = (c: Cell) => `${c.connection}|${c.level}`;
    const headCells = new Map(stackCells(headStack).map((c) => [key(c), c]));
    for (const baseCell of stackCells(baseStack)) {
      const headCell = headCells.get(key(baseCell));
      if (headCell) pairs.push([baseCell, headCell]);
    }
  }
  return { pairs, unmatched };
}

function verdictOf(metric: Metric, deltaPct: number, significant: boolean): Verdict {
  if (!significant || deltaPct === 0) return '~';
  return Math.sign(deltaPct) === BETTER[metric] ? 'better' : 'worse';
}

export function compareSets(
  base: ResultSet,
  head: ResultSet,
  options: CompareOptions = DEFAULT_COMPARE,
): Comparison {
  const reasons = incomparability(base.manifest, head.manifest);
  if (reasons.length && !options.force) {
    throw new IncomparableSetsError(
      `${base.dir} and ${head.dir} are not comparable: ${reasons.join('; ')}. Pass --force to compare anyway.`,
    );
  }
  const { pairs, unmatched } = pairCells(base, head);
  const raw = pairs.map(([b, h]) =>
    METRICS.map((metric) => mannWhitneyU(b.values[metric], h.values[metric]).p),
  );
  const adjusted =
    options.correction === 'cell'
      ? raw.map((ps) => adjustPValues(ps, 'holm'))
      : chunk(
          adjustPValues(raw.flat(), (options.correction === 'set' ? 'bh' : 'none') as Correction),
          METRICS.length,
        );
  const counts: Record<Verdict, number> = { worse: 0, better: 0, '~': 0 };
  const sizes = new Map<string, { base: number; head: number; minP: number }>();
  const cells = pairs.map(([b, h], i) => {
    const minP = minAchievableP(b.windows, h.windows);
    if (minP >= options.alpha) {
      sizes.set(`${b.windows}:${h.windows}`, { base: b.windows, head: h.windows, minP });
    }
    return {
      stack: b.stack,
      connection: b.connection,
      level: b.level,
      metrics: METRICS.map((metric, j) => {
        const bs = b.summary[metric];
        const hs = h.summary[metric];
        const deltaPct = bs.median === 0 ? 0 : (100 * (hs.median - bs.median)) / bs.median;
        const p = raw[i]![j]!;
        const pAdjusted = adjusted[i]![j]!;
        const verdict = verdictOf(metric, deltaPct, pAdjusted < options.alpha);
        counts[verdict]++;
        return { metric, base: bs, head: hs, deltaPct, p, pAdjusted, verdict };
      }),
    };
  });
  return {
    axis: axisOf(head.manifest.profile.settings),
    alpha: options.alpha,
    correction: options.correction,
    warnings: reasons,
    cells,
    unmatched,
    underpowered: [...sizes.values()],
    counts,
  };
}

function chunk<T>(list: T[], size: number): T[][] {
  return Array.from({ length: Math.ceil(list.length / size) }, (_, i) =>
    list.slice(i * size, (i + 1) * size),
  );
}

/** Significant regressions larger than `pct` percent (for `--fail-on-regression`). */
export function regressionsBeyond(comparison: Comparison, pct: number): string[] {
  return comparison.cells.flatMap((cell) =>
    cell.metrics
      .filter((m) => m.verdict === 'worse' && Math.abs(m.deltaPct) > pct)
      .map(
        (m) =>
          `${cellName(cell)} @ ${levelLabel(comparison.axis, cell.level)}: ${m.metric} ${m.deltaPct >= 0 ? '+' : ''}${m.deltaPct.toFixed(1)} % (p = ${m.pAdjusted.toFixed(3)})`,
      ),
  );
}
