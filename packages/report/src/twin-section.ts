/**
 * `## The twin`: a copy of one stack run beside it as `STACK~twin` (`--twin`), compared with its
 * original cell by cell through the same pairs as every other stack (its pair is one of the
 * family corrected at each level). An identical twin checks the method — it should tie with its
 * original everywhere, at the resolution the pair had; a changed one (an app parameter) shows
 * whether the report sees a known difference, and where the host was CPU-bound.
 */

import type { ManifestStack, TwinOf } from '@stackbench/result';
import type { Axis } from './axis.js';
import type { Cell } from './cells.js';
import { groupHeader, groupLabel, namesWorkloads, severalGroups } from './group.js';
import type { LevelPairs } from './level-pairs.js';
import { table } from './markdown-table.js';
import { METRIC_REGISTRY, type MetricDef, pairedOf } from './metrics.js';
import { oriented, pairOf, ratioText, resolutionText } from './pair-format.js';
import type { GroupPairs } from './pairs.js';

type Verdict = 'faster' | 'slower' | 'tied';

type TwinEffect = { text: string; verdict: Verdict; resolution: number } | null;

interface TwinCell {
  level: LevelPairs;
  /** Per paired metric of the level (registry order), twin / original. */
  effects: TwinEffect[];
  /** The lead metric's: what the conclusion counts. */
  lead: TwinEffect;
  /** Half or more of the pair's windows had the host above 90 % CPU. */
  cpuBound: boolean;
}

interface Twin {
  name: string;
  of: TwinOf;
  cells: TwinCell[];
}

/** `STACKBENCH_WRITES=11000`, or null for an identical twin. */
function change(of: TwinOf): string | null {
  const env = Object.entries(of.env);
  return env.length ? env.map(([k, v]) => `${k}=${v}`).join(', ') : null;
}

function what(t: Twin): string {
  const env = change(t.of);
  return env
    ? `\`${t.name}\` (${t.of.stack} with ${env})`
    : `\`${t.name}\` (an identical copy of ${t.of.stack})`;
}

function effect(g: GroupPairs, twin: string, original: string, metric: MetricDef): TwinEffect {
  const pair = pairOf(g, twin, original);
  if (!pair) return null;
  const e = oriented(pair, twin);
  const verdict: Verdict = !pair.effect.decided
    ? 'tied'
    : e.ratio > 1 === (metric.better === 1)
      ? 'faster'
      : 'slower';
  return { text: ratioText(e.ratio, e.lo, e.hi), verdict, resolution: pair.effect.resolutionPct };
}

function cpuBound(cells: Cell[]): boolean {
  const windows = cells.reduce((n, c) => n + c.windows, 0);
  const busy = cells.reduce((n, c) => n + c.hostBusyWindows, 0);
  return windows > 0 && busy >= windows / 2;
}

function twinsOf(stacks: readonly ManifestStack[], levels: LevelPairs[]): Twin[] {
  return stacks.flatMap((s) => {
    if (!s.twin) return [];
    const of = s.twin;
    const cells = levels.flatMap((l): TwinCell[] => {
      const pair = l.cells.filter((c) => c.stack === s.name || c.stack === of.stack);
      if (pair.length !== 2) return [];
      const effects = l.byMetric.map((m) => effect(m.pairs, s.name, of.stack, m.metric));
      const lead = effects[l.byMetric.indexOf(l.lead)]!;
      return [{ level: l, effects, lead, cpuBound: cpuBound(pair) }];
    });
    return [{ name: s.name, of, cells }];
  });
}

const verdictText = (v: TwinEffect) =>
  v === null
    ? 'n/a'
    : v.verdict === 'tied'
      ? `tied (resolution ${resolutionText(v.resolution)})`
      : `**${v.verdict}**`;

/** The one-line conclusion: tied everywhere (identical), or ranked below (changed). */
function conclusion(t: Twin): string {
  const all = t.cells.length;
  if (change(t.of) === null) {
    const tied = t.cells.filter((c) => c.lead?.verdict === 'tied').length;
    return `${what(t)} tied with ${t.of.stack} in ${tied} of ${all} cells (expected: all${tied < all ? '; the others are false verdicts or a host that treated the two differently' : ''})`;
  }
  const below = t.cells.filter((c) => c.lead?.verdict === 'slower').length;
  const bound = t.cells.filter((c) => c.cpuBound);
  const boundBelow = bound.filter((c) => c.lead?.verdict === 'slower').length;
  const cells = `${bound.length} cell${bound.length === 1 ? '' : 's'}`;
  return `${what(t)} ranked below ${t.of.stack} in ${below} of ${all} cells; of the ${cells} where the host was CPU-bound (half or more of the pair's windows above 90 %), ${boundBelow}`;
}

/** The summary's lines, one per twin (none when the set has no twin). */
export function twinSummary(stacks: readonly ManifestStack[], levels: LevelPairs[]): string[] {
  return twinsOf(stacks, levels)
    .filter((t) => t.cells.length > 0)
    .map((t) => `- Twin: ${conclusion(t)}.`);
}

export function twinSection(
  stacks: readonly ManifestStack[],
  levels: LevelPairs[],
  axis: Axis,
): string[] {
  const twins = twinsOf(stacks, levels);
  if (twins.length === 0) return [];
  const several = severalGroups(levels);
  const withWorkload = namesWorkloads(levels);
  const metrics = levels[0]?.byMetric.map((m) => m.metric) ?? pairedOf(METRIC_REGISTRY);
  // `for RPS faster is higher, for p95 lower`
  const directions = metrics
    .map(
      (m, i) =>
        `for ${m.short} ${i === 0 ? 'faster is ' : ''}${m.better === 1 ? 'higher' : 'lower'}`,
    )
    .join(', ');
  const out = [
    '## The twin',
    '',
    `A twin is a copy of a stack run beside it in every round as one more stack (\`--twin\`); it is compared with its original through the same pairs as any two stacks of a level (its pair is one of the level's family). An identical twin should tie with its original everywhere — each tie with the difference it could have seen —, and a twin that differs only by an app parameter shows whether the report sees a difference that is known to be there. Ratios are twin / original with their FCR interval; ${directions}.`,
  ];
  for (const t of twins) {
    out.push('', `${conclusion(t)}.`);
    if (t.cells.length === 0) continue;
    out.push(
      '',
      table(
        [
          ...(several ? [groupHeader(withWorkload)] : []),
          axis.unit,
          ...metrics.flatMap((m) => [`${m.short} twin / original`, `${m.short} verdict`]),
          'host CPU-bound',
        ],
        t.cells.map((c) => [
          ...(several ? [groupLabel(c.level, withWorkload)] : []),
          String(c.level.level),
          ...c.effects.flatMap((e) => [e?.text ?? 'n/a', verdictText(e)]),
          c.cpuBound ? 'yes' : 'no',
        ]),
        [
          ...(several ? ['l' as const] : []),
          'r',
          ...metrics.flatMap(() => ['r' as const, 'l' as const]),
          'l',
        ],
      ),
    );
  }
  return out;
}
