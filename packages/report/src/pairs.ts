/**
 * From a set's stack results to the pairs that decide ranks. At one connection mode and level,
 * every two stacks form a pair; in an interleaved set both ran a window of the cell in each
 * round, so the windows of one round share whatever the host did then and are compared round
 * by round (stats/pairwise.ts: ratio of geometric means, paired t on the logarithms,
 * Benjamini–Hochberg over the pairs of the level, FCR intervals). A sequential set runs one stack
 * per round; its pairs share no round and are compared unpaired (Welch).
 */

import type { ConnectionMode, SampleWindow, StackResult, WorkloadName } from '@stackbench/result';
import { median } from 'simple-statistics';
import { connectionOf, levelOf, workloadOf } from './axis.js';
import { countedWindows, isDisturbed, isReplaced } from './cells.js';
import { compareGroups, groupKey } from './group.js';
import {
  METRIC_REGISTRY,
  type MetricDef,
  type MetricRegistry,
  metricDef,
  type PairMetric,
} from './metrics.js';
import { type PairEffect, pairEffects } from './stats/index.js';

export type { PairMetric };

/**
 * One counted window of a stack at a cell: its round, whether the host disturbed it
 * (`noise.disturbed` not empty) and, by metric key, the figures pairs and the A/B verdict are
 * made of (the registry's `paired` and `ab` metrics), each as the registry reads it from the
 * window (`rps` is `rps.total`, as the cells count it; `cpuMsPerRequest` is null when the window
 * has no `serverCpuMs` or finished no request).
 */
export interface RoundValue {
  round: number;
  disturbed: boolean;
  values: Readonly<Record<string, number | null>>;
}

export interface CellGroup {
  workload: WorkloadName;
  connection: ConnectionMode;
  level: number;
  /**
   * Per stack, its windows' values by round (a window with replacedBy set is left out: its
   * re-run counts; only complete runs; windows whose cycle count is not 1 are skipped, as
   * stackCells does).
   */
  stacks: Map<string, RoundValue[]>;
}

function roundValue(round: number, window: SampleWindow, registry: MetricRegistry): RoundValue {
  const figures = registry.filter((m) => m.paired || m.ab).map((m) => [m.key, m.of(window)]);
  return { round, disturbed: isDisturbed(window), values: Object.fromEntries(figures) };
}

/** A window's value of a metric; ≤ 0 (served nothing) or null (not measured) is no sample. */
export const sampleOf = (v: RoundValue, key: string): number | null => {
  const x = v.values[key] ?? null;
  return x !== null && x > 0 ? x : null;
};

/**
 * The windows of every (workload, connection mode, level) of the results, per stack: in the
 * groups' order (group.ts), levels ascending; stacks in the order of `results`, each one's values by round.
 * The same windows stackCells counts: complete runs, one cycle, not replaced. Values of the
 * `registry`'s paired and A/B metrics.
 */
export function cellGroups(
  results: readonly StackResult[],
  registry: MetricRegistry = METRIC_REGISTRY,
): CellGroup[] {
  const groups = new Map<string, CellGroup>();
  for (const result of results) {
    const name = result.stack.name;
    for (const { round, window } of countedWindows(result)) {
      if (isReplaced(window)) continue;
      const workload = workloadOf(window);
      const connection = connectionOf(window);
      const level = levelOf(window);
      const key = `${groupKey({ workload, connection })}|${level}`;
      const group = groups.get(key) ?? { workload, connection, level, stacks: new Map() };
      groups.set(key, group);
      const values = group.stacks.get(name) ?? [];
      group.stacks.set(name, values);
      values.push(roundValue(round, window, registry));
    }
  }
  for (const group of groups.values()) {
    for (const values of group.stacks.values()) values.sort((x, y) => x.round - y.round);
  }
  return [...groups.values()].sort((x, y) => compareGroups(x, y) || x.level - y.level);
}

export interface StackPair {
  /** a < b by name (code units). */
  a: string;
  b: string;
  /** The key of the metric (a paired one of the registry the pairs were made with). */
  metric: string;
  /** Ratio a/b, over the rounds both ran (paired) or all their windows (unpaired). */
  effect: PairEffect;
  /** Rounds behind the interval in which a window of either stack was disturbed by the host. */
  disturbedRounds: number;
  /** Which is better when decided (rps: higher; p95: lower), else null. */
  better: string | null;
  /** Windows of either stack left out of this pair because their value was ≤ 0 (served nothing). */
  dropped: number;
}

export interface GroupPairs {
  workload: WorkloadName;
  connection: ConnectionMode;
  level: number;
  /** The key of the metric (a paired one of the registry the pairs were made with). */
  metric: string;
  /** Every two stacks of the group, a < b, in order of a then b. */
  pairs: StackPair[];
  /** Median and max of the pairs' resolutionPct (Infinity where none can be computed). */
  resolutionPct: number;
  worstResolutionPct: number;
  decided: number;
  total: number;
  /** Windows per stack: min and max (0 when the group has no stack). */
  windows: { min: number; max: number };
}

const byName = (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0);

/** The pair's sample: paired over the rounds in which each stack has exactly one window. */
export interface Matched {
  a: RoundValue[];
  b: RoundValue[];
  paired: boolean;
}

function onePerRound(values: readonly RoundValue[]): Map<number, RoundValue> {
  const count = new Map<number, number>();
  for (const v of values) count.set(v.round, (count.get(v.round) ?? 0) + 1);
  return new Map(values.filter((v) => count.get(v.round) === 1).map((v) => [v.round, v]));
}

/**
 * Two stacks' windows as a pair's sample: paired over the rounds they share when they share at
 * least 2 (a round counts when each has exactly one window in it), else unpaired over all.
 */
export function matchRounds(a: readonly RoundValue[], b: readonly RoundValue[]): Matched {
  const ra = onePerRound(a);
  const rb = onePerRound(b);
  const shared = [...ra.keys()].filter((round) => rb.has(round)).sort((x, y) => x - y);
  if (shared.length >= 2) {
    return { a: shared.map((r) => ra.get(r)!), b: shared.map((r) => rb.get(r)!), paired: true };
  }
  return { a: [...a], b: [...b], paired: false };
}

/** Rounds of the sample in which the host disturbed a window of either side. */
export function disturbedRounds(m: Matched): number {
  return new Set([...m.a, ...m.b].filter((v) => v.disturbed).map((v) => v.round)).size;
}

/**
 * The pairs of a group on one metric, decided together (one family: Benjamini–Hochberg at
 * `alpha`, default 0.05, over all the group's pairs; see stats/pairwise.ts).
 *
 * Pairing: paired over the rounds the two stacks share when they share at least 2 (a round
 * counts when each stack has exactly one window in it; the other windows are then not used),
 * otherwise unpaired over all their windows (a sequential set runs one stack per round).
 * A window whose value is ≤ 0 served nothing (0 RPS; a p95 of 0 with no response): it is left
 * out of that stack's pairs before they are matched, and counted in the pair's `dropped`.
 */
export function groupPairs(
  group: CellGroup,
  metric: PairMetric | MetricDef,
  alpha = 0.05,
): GroupPairs {
  const def = typeof metric === 'string' ? metricDef(metric) : metric;
  const names = [...group.stacks.keys()].sort(byName);
  const matched: { a: string; b: string; m: Matched; dropped: number }[] = [];
  for (const [i, a] of names.entries()) {
    for (const b of names.slice(i + 1)) {
      const all = [...group.stacks.get(a)!, ...group.stacks.get(b)!];
      const served = (s: string) =>
        group.stacks.get(s)!.filter((v) => sampleOf(v, def.key) !== null);
      const va = served(a);
      const vb = served(b);
      matched.push({ a, b, m: matchRounds(va, vb), dropped: all.length - va.length - vb.length });
    }
  }
  // the cell's pairs share the host's noise: their variances are moderated over the cell, with
  // no more degrees of freedom than the cell's rounds hold for S stacks, (S − 1)(R − 1)
  const rounds = new Set([...group.stacks.values()].flatMap((vs) => vs.map((v) => v.round))).size;
  const effects = pairEffects(
    matched.map(({ m }) => ({
      a: m.a.map((v) => sampleOf(v, def.key)!),
      b: m.b.map((v) => sampleOf(v, def.key)!),
      paired: m.paired,
    })),
    alpha,
    { moderate: { maxDf: (names.length - 1) * (rounds - 1) } },
  );
  const pairs = matched.map(({ a, b, m, dropped }, i): StackPair => {
    const effect = effects[i]!;
    const aBetter = def.better === 1 ? effect.ratio > 1 : effect.ratio < 1;
    return {
      a,
      b,
      metric: def.key,
      effect,
      disturbedRounds: disturbedRounds(m),
      better: effect.decided ? (aBetter ? a : b) : null,
      dropped,
    };
  });
  const resolutions = pairs.map((p) => p.effect.resolutionPct);
  const windows = names.map((s) => group.stacks.get(s)!.length);
  return {
    workload: group.workload,
    connection: group.connection,
    level: group.level,
    metric: def.key,
    pairs,
    resolutionPct: resolutions.length ? median(resolutions) : Number.POSITIVE_INFINITY,
    worstResolutionPct: resolutions.length ? Math.max(...resolutions) : Number.POSITIVE_INFINITY,
    decided: pairs.filter((p) => p.effect.decided).length,
    total: pairs.length,
    windows: windows.length
      ? { min: Math.min(...windows), max: Math.max(...windows) }
      : { min: 0, max: 0 },
  };
}

/**
 * Rank from pairs: 1 + the number of stacks decided better; tied when another stack has the
 * same rank. In the order of `stacks`; a stack without pairs in `g` ranks 1.
 */
export function pairRanks(
  g: GroupPairs,
  stacks: readonly string[],
): { stack: string; rank: number; tied: boolean }[] {
  const ranked = stacks.map((stack) => ({
    stack,
    rank:
      1 +
      g.pairs.filter((p) => (p.a === stack || p.b === stack) && p.better && p.better !== stack)
        .length,
    tied: false,
  }));
  for (const r of ranked) r.tied = ranked.some((o) => o !== r && o.rank === r.rank);
  return ranked;
}
