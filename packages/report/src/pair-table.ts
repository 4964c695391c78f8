/**
 * Under each level's ranking: how sure the order is (pairs ordered, resolution, windows) and
 * every pair of stacks as a row — the better on the lead metric first where the pair is ordered —
 * with its ratio (first / second, FCR interval) and verdict on each paired metric of the
 * registry, in its order; a tie states the smallest difference it could have seen, and `†`
 * marks a ratio whose rounds the host disturbed.
 */
import type { LevelPairs } from './level-pairs.js';
import { table } from './markdown-table.js';
import type { MetricDef } from './metrics.js';
import {
  certaintyText,
  DISTURBED_MARK,
  oriented,
  pairOf,
  ratioText,
  resolutionText,
} from './pair-format.js';
import type { StackPair } from './pairs.js';

/** `1.12 [1.05, 1.19]†` as first / other. */
function ratioCell(pair: StackPair | undefined, first: string): string {
  if (!pair) return 'n/a';
  const e = oriented(pair, first);
  return `${ratioText(e.ratio, e.lo, e.hi)}${pair.disturbedRounds > 0 ? DISTURBED_MARK : ''}`;
}

function verdictCell(pair: StackPair | undefined): string {
  if (!pair) return 'n/a';
  return pair.effect.decided
    ? '**ordered**'
    : `tied (resolution ${resolutionText(pair.effect.resolutionPct)})`;
}

/**
 * The first of a pair on the lead metric: the better where ordered, else the one ahead on it
 * (the higher, as RPS; the lower for a lower-is-better lead).
 */
function firstOf(p: StackPair, lead: MetricDef): string {
  if (p.better) return p.better;
  const ratio = lead.better === 1 ? p.effect.ratio : 1 / p.effect.ratio;
  return Number.isNaN(ratio) || ratio >= 1 ? p.a : p.b;
}

/** What a better value of a lower-is-better metric is called: `the first is quicker`. */
const BETTER_WORD: Record<MetricDef['unit'], string> = {
  'requests/s': 'faster',
  ms: 'quicker',
  'ms/request': 'cheaper',
};

/** `for p95 below 1: the first is quicker`, per lower-is-better metric. */
function belowOne(metrics: MetricDef[]): string {
  const lower = metrics.filter((m) => m.better === -1);
  if (lower.length === 0) return '';
  return ` (${lower.map((m) => `for ${m.prose} below 1: the first is ${BETTER_WORD[m.unit]}`).join('; ')})`;
}

export function pairTable(l: LevelPairs): string[] {
  const lead = l.lead;
  if (lead.pairs.total === 0) return [];
  const rank = new Map(lead.ranked.map((r, i) => [r.cell.stack, i]));
  const metrics = l.byMetric.map((m) => m.metric);
  const rows = lead.pairs.pairs
    .map((p) => {
      const first = firstOf(p, lead.metric);
      return { p, first, second: first === p.a ? p.b : p.a };
    })
    .sort(
      (x, y) =>
        Number(y.p.effect.decided) - Number(x.p.effect.decided) ||
        (rank.get(x.first) ?? 0) - (rank.get(y.first) ?? 0) ||
        (rank.get(x.second) ?? 0) - (rank.get(y.second) ?? 0),
    );
  return [
    '',
    l.byMetric.map((m) => `${m.metric.short}: ${certaintyText(m.pairs)}.`).join(' '),
    '',
    `Each pair, the ${BETTER_WORD[lead.metric.unit]} on ${lead.metric.short} first where they are ordered; ratios are first / second with their interval${belowOne(metrics)}:`,
    '',
    table(
      ['pair', ...metrics.flatMap((m) => [`${m.short} ratio`, m.short])],
      rows.map(({ p, first, second }) => [
        `${first} / ${second}`,
        ...l.byMetric.flatMap((m) => {
          const pair = m === lead ? p : pairOf(m.pairs, p.a, p.b);
          return [ratioCell(pair, first), verdictCell(pair)];
        }),
      ]),
      ['l', ...metrics.flatMap(() => ['r' as const, 'l' as const])],
    ),
  ];
}
