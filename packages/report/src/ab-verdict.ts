/**
 * The verdict of an A/B set (`bench:ab`): every stack ran twice in the same interleaved rounds,
 * as `STACK@base` (the pull request's base commit) and `STACK@head` (its head). Per stack and
 * cell (connection mode × level) and per metric — RPS, p95 and CPU per request — the ratio
 * head / base over the rounds in which both sides ran a window of the cell (pairs.ts's matching:
 * paired t on the log ratios; unpaired only when they share fewer than two rounds), with its
 * interval.
 *
 * One family for the whole set: every (stack, cell, metric) test goes into one call of
 * pairEffects, so Benjamini–Hochberg runs over all of them. Under A = B every null is true, and
 * BH then bounds the chance of any "better" or "worse" in the whole set by alpha (under the
 * global null the false discovery rate is the family-wise rate); the intervals are the FCR
 * intervals of that family. A "~" is not "equal": the interval includes 1, and the resolution
 * says how large a change it would have excluded.
 */

import type { ConnectionMode, StackResult, WorkloadName } from '@stackbench/result';
import { median } from 'simple-statistics';
import { compareGroups, sameGroup } from './group.js';
import {
  AB_METRIC_KEYS,
  type AbMetric,
  abOf,
  LEAD_METRIC,
  METRIC_REGISTRY,
  type MetricDef,
  type MetricRegistry,
  metricTable,
} from './metrics.js';
import { cellGroups, disturbedRounds, matchRounds, type RoundValue, sampleOf } from './pairs.js';
import { type PairEffect, pairEffects } from './stats/index.js';

export type AbSideName = 'base' | 'head';

/** `prefork-rr@head`: the name of one side's entry in the set. */
export const abName = (stack: string, side: AbSideName) => `${stack}@${side}`;

/**
 * The stack and side of an entry's name, split at its last `@` (`a@node24@base` is `a@node24`'s
 * base side); null when the name does not end in `@base` or `@head` or has no stack before it.
 */
export function abSideOf(name: string): { stack: string; side: AbSideName } | null {
  const at = name.lastIndexOf('@');
  if (at <= 0) return null;
  const side = name.slice(at + 1);
  if (side !== 'base' && side !== 'head') return null;
  return { stack: name.slice(0, at), side };
}

/** The registry's A/B metrics (RPS, p95, CPU per request), each named in prose. */
export const AB_METRICS = AB_METRIC_KEYS;
export type { AbMetric };

export const AB_METRIC_LABEL: Record<AbMetric, string> = metricTable(AB_METRICS, 'prose');

export interface AbEffect {
  /** The stack's own name (without `@base` / `@head`). */
  stack: string;
  workload: WorkloadName;
  connection: ConnectionMode;
  level: number;
  /** The metric's key (`rps`, `p95`, `cpuMsPerRequest`: an `ab` one of the registry). */
  metric: string;
  /** Its definition: names and better direction. */
  def: MetricDef;
  /** Ratio head / base with its FCR interval over the set's family; `n` is the rounds paired. */
  effect: PairEffect;
  /** Decided and in the better direction (RPS up; p95, CPU per request down), decided and worse, or not decided. */
  verdict: 'better' | 'worse' | '~';
  /** Rounds behind the ratio in which the host disturbed a window of either side. */
  disturbedRounds: number;
  /** Windows of either side left out because their value was ≤ 0 or not measured (CPU). */
  dropped: number;
}

export interface AbCell {
  workload: WorkloadName;
  connection: ConnectionMode;
  level: number;
  /** median over the cell's stacks of the lead metric's (RPS) effect's resolutionPct */
  resolutionPct: number;
  /** The fewest rounds behind any ratio of the cell. */
  rounds: number;
}

export interface AbVerdict {
  /** By cell (keep-alive first, levels ascending), then stack (order of the results), then metric. */
  effects: AbEffect[];
  better: number;
  worse: number;
  same: number;
  /** median lead-metric (RPS) resolution over all (stack, cell); ∞ when there is none */
  resolutionPct: number;
  cells: AbCell[];
  alpha: number;
  /** The registry's A/B metrics the verdict was made on, in its order (the section's columns). */
  metrics: readonly MetricDef[];
}

interface Planned {
  stack: string;
  workload: WorkloadName;
  connection: ConnectionMode;
  level: number;
  def: MetricDef;
  base: RoundValue[];
  head: RoundValue[];
}

/** The (stack, cell, metric) tests of the set: stacks with windows of both sides in the cell. */
function plan(results: readonly StackResult[], registry: MetricRegistry): Planned[] {
  const out: Planned[] = [];
  for (const group of cellGroups(results, registry)) {
    const sides = new Map<string, Partial<Record<AbSideName, RoundValue[]>>>();
    for (const [name, values] of group.stacks) {
      const ab = abSideOf(name);
      if (!ab) continue;
      const entry = sides.get(ab.stack) ?? {};
      entry[ab.side] = values;
      sides.set(ab.stack, entry);
    }
    for (const [stack, { base, head }] of sides) {
      if (!(base && head)) continue;
      for (const def of abOf(registry)) {
        // a set that did not measure CPU time has no CPU comparison (not a "~")
        const measured = [...base, ...head].some((v) => (v.values[def.key] ?? null) !== null);
        if (!def.always && !measured) continue;
        const { workload, connection, level } = group;
        out.push({ stack, workload, connection, level, def, base, head });
      }
    }
  }
  return out;
}

/** Keeps the windows with a positive value of the metric (the others served nothing). */
const served = (values: readonly RoundValue[], def: MetricDef) =>
  values.filter((v) => sampleOf(v, def.key) !== null);

/**
 * Head against base per stack, cell and metric, decided together: one family of every test of
 * the set (Benjamini–Hochberg at `alpha`, default 0.05; FCR intervals). Entries whose name does
 * not end in `@base` / `@head` are ignored, as are stacks without windows of both sides in a
 * cell. A window whose value is ≤ 0 (0 RPS) or missing (no CPU time recorded) is left out of that
 * metric's pairs and counted in `dropped`.
 */
export function abVerdict(
  results: readonly StackResult[],
  alpha = 0.05,
  registry: MetricRegistry = METRIC_REGISTRY,
): AbVerdict {
  const planned = plan(results, registry).map((p) => {
    const base = served(p.base, p.def);
    const head = served(p.head, p.def);
    const dropped = p.base.length + p.head.length - base.length - head.length;
    return { ...p, m: matchRounds(head, base), dropped };
  });
  const effects = pairEffects(
    planned.map(({ m, def }) => ({
      a: m.a.map((v) => sampleOf(v, def.key)!),
      b: m.b.map((v) => sampleOf(v, def.key)!),
      paired: m.paired,
    })),
    alpha,
  );
  const abEffects = planned.map(
    ({ stack, workload, connection, level, def, m, dropped }, i): AbEffect => {
      const effect = effects[i]!;
      const up = effect.ratio > 1;
      const verdict = !effect.decided ? '~' : up === (def.better === 1) ? 'better' : 'worse';
      return {
        stack,
        workload,
        connection,
        level,
        metric: def.key,
        def,
        effect,
        verdict,
        disturbedRounds: disturbedRounds(m),
        dropped,
      };
    },
  );
  // a cell's resolution is stated on the lead metric (metrics.ts says why)
  const rpsResolutions = (list: AbEffect[]) =>
    list.filter((e) => e.metric === LEAD_METRIC).map((e) => e.effect.resolutionPct);
  const medianOr = (xs: number[]) => (xs.length ? median(xs) : Number.POSITIVE_INFINITY);
  const cells: AbCell[] = [];
  for (const e of abEffects) {
    if (cells.some((c) => sameGroup(c, e) && c.level === e.level)) continue;
    const here = abEffects.filter((x) => sameGroup(x, e) && x.level === e.level);
    cells.push({
      workload: e.workload,
      connection: e.connection,
      level: e.level,
      resolutionPct: medianOr(rpsResolutions(here)),
      rounds: Math.min(...here.map((x) => x.effect.n)),
    });
  }
  cells.sort((x, y) => compareGroups(x, y) || x.level - y.level);
  const count = (v: AbEffect['verdict']) => abEffects.filter((e) => e.verdict === v).length;
  return {
    effects: abEffects,
    better: count('better'),
    worse: count('worse'),
    same: count('~'),
    resolutionPct: medianOr(rpsResolutions(abEffects)),
    cells,
    alpha,
    metrics: abOf(registry),
  };
}

/**
 * The comparisons whose whole interval lies beyond `pct` % in the worse direction — RPS:
 * hi < 1 − pct/100; p95 and CPU per request: lo > 1 + pct/100 — what `--fail-on-regression PCT`
 * fails on. A change whose interval reaches back within `pct` is not one: it may be smaller.
 */
export function abRegressions(v: AbVerdict, pct: number): AbEffect[] {
  if (!(Number.isFinite(pct) && pct >= 0)) {
    throw new RangeError(`abRegressions: pct must be a finite number ≥ 0, got ${pct}`);
  }
  return v.effects.filter((e) =>
    e.def.better === 1 ? e.effect.hi < 1 - pct / 100 : e.effect.lo > 1 + pct / 100,
  );
}
