/**
 * Compare two result sets the way benchstat compares benchmarks: per cell (stack × mode × level)
 * and metric, base and head medians with their confidence intervals, the change of the medians,
 * and a two-sided Mann–Whitney U test over the per-window values. A change is reported (worse or
 * better) only when the test, after the correction for multiple comparisons, is below α and the
 * medians moved by at least the minimum change (criterion's noise threshold: a tight metric
 * would otherwise flag a host's drift of a few percent between two sets); otherwise `~`. Sizes
 * for which the test can never reach α are said, not guessed around.
 */

import type { ConnectionMode, Manifest, WorkloadName } from '@stackbench/result';
import { type Axis, axisOf, levelLabel } from './axis.js';
import { type Cell, cellName, stackCells } from './cells.js';
import { IncomparableSetsError } from './errors.js';
import { groupKey } from './group.js';
import { METRIC_REGISTRY, type MetricKey, metricTable } from './metrics.js';
import type { ResultSet } from './read-set.js';
import { adjustPValues, mannWhitneyU, minAchievableP, type Summary } from './stats/index.js';

/**
 * The correction for testing many cells and metrics at once: `holm` — Holm over every test of
 * the comparison, so that when nothing changed the chance of any flag at all is at most α (an
 * A/A comparison flags nothing, 19 times in 20); `bh` — Benjamini–Hochberg over every test (false
 * discovery rate α: more power when much changed); `cell` — Holm over the metrics of each cell
 * (about α of the cells flagged by chance); `none` — raw p-values, as benchstat.
 */
export const CORRECTIONS = ['holm', 'bh', 'cell', 'none'] as const;
export type CorrectionScope = (typeof CORRECTIONS)[number];

export interface CompareOptions {
  /** Significance level of the rank test. */
  alpha: number;
  correction: CorrectionScope;
  /** Smallest change of the medians, percent, that is reported even when significant. */
  minChangePct: number;
  /** Compare even when profile hash or host class differ. */
  force: boolean;
}

export const DEFAULT_COMPARE = {
  alpha: 0.05,
  correction: 'holm',
  minChangePct: 5,
  force: false,
} as const satisfies CompareOptions;

/** The metrics compared: every metric of the registry (those some sets lack, where measured). */
export type ComparedMetric = MetricKey;
const COMPARED: readonly ComparedMetric[] = METRIC_REGISTRY.map((m) => m.key);
export const COMPARED_LABEL: Record<ComparedMetric, string> = metricTable(COMPARED, 'label');
/** +1: higher is better (RPS); −1: lower is better (latency, CPU per request). */
export const COMPARED_BETTER: Record<ComparedMetric, 1 | -1> = metricTable(COMPARED, 'better');

export type Verdict = 'worse' | 'better' | '~';

export interface MetricComparison {
  metric: ComparedMetric;
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
  workload: WorkloadName;
  connection: ConnectionMode;
  level: number;
  metrics: MetricComparison[];
  /** Windows the host disturbed, of the windows counted, in each set (0 where not recorded). */
  disturbed: { base: number; baseWindows: number; head: number; headWindows: number };
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
  minChangePct: number;
  /** Tests in the comparison (the family of the set-wide corrections). */
  tests: number;
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
    // the same stack on the same work, connections and level
    const key = (c: Cell) => `${groupKey(c)}|${c.level}`;
    const headCells = new Map(stackCells(headStack).map((c) => [key(c), c]));
    for (const baseCell of stackCells(baseStack)) {
      const headCell = headCells.get(key(baseCell));
      if (headCell) pairs.push([baseCell, headCell]);
    }
  }
  return { pairs, unmatched };
}

function verdictOf(metric: ComparedMetric, deltaPct: number, flagged: boolean): Verdict {
  if (!flagged || deltaPct === 0) return '~';
  return Math.sign(deltaPct) === COMPARED_BETTER[metric] ? 'better' : 'worse';
}

/** The values and summary of each compared metric a cell has (CPU only where measured). */
function metricsOf(cell: Cell): { metric: ComparedMetric; values: number[]; summary: Summary }[] {
  return METRIC_REGISTRY.flatMap(
    (def): { metric: ComparedMetric; values: number[]; summary: Summary }[] => {
      if (def.always) {
        return [{ metric: def.key, values: cell.values[def.key], summary: cell.summary[def.key] }];
      }
      const m = cell.measured[def.key];
      return m?.summary ? [{ metric: def.key, values: m.values, summary: m.summary }] : [];
    },
  );
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
  // per pair, the metrics both sides have, each with its raw p-value
  const tested = pairs.map(([b, h]) => {
    const hs = new Map(metricsOf(h).map((m) => [m.metric, m]));
    return metricsOf(b).flatMap((bm) => {
      const hm = hs.get(bm.metric);
      return hm
        ? [{ metric: bm.metric, b: bm, h: hm, p: mannWhitneyU(bm.values, hm.values).p }]
        : [];
    });
  });
  const raw = tested.map((list) => list.map((t) => t.p));
  const adjusted =
    options.correction === 'cell'
      ? raw.map((ps) => adjustPValues(ps, 'holm'))
      : regroup(
          adjustPValues(raw.flat(), options.correction === 'none' ? 'none' : options.correction),
          raw.map((ps) => ps.length),
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
      workload: b.workload,
      connection: b.connection,
      level: b.level,
      disturbed: {
        base: b.disturbedWindows,
        baseWindows: b.windows,
        head: h.disturbedWindows,
        headWindows: h.windows,
      },
      metrics: tested[i]!.map((t, j) => {
        const bs = t.b.summary;
        const hs = t.h.summary;
        const deltaPct = bs.median === 0 ? 0 : (100 * (hs.median - bs.median)) / bs.median;
        const pAdjusted = adjusted[i]![j]!;
        const flagged = pAdjusted < options.alpha && Math.abs(deltaPct) >= options.minChangePct;
        const verdict = verdictOf(t.metric, deltaPct, flagged);
        counts[verdict]++;
        return { metric: t.metric, base: bs, head: hs, deltaPct, p: t.p, pAdjusted, verdict };
      }),
    };
  });
  return {
    axis: axisOf(head.manifest.profile.settings),
    alpha: options.alpha,
    correction: options.correction,
    minChangePct: options.minChangePct,
    tests: raw.flat().length,
    warnings: reasons,
    cells,
    unmatched,
    underpowered: [...sizes.values()],
    counts,
  };
}

/** `flat` cut back into lists of the given lengths. */
function regroup<T>(flat: T[], lengths: number[]): T[][] {
  let at = 0;
  return lengths.map((n) => {
    const part = flat.slice(at, at + n);
    at += n;
    return part;
  });
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
