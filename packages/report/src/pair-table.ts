/**
 * Under each level's ranking: how sure the order is (pairs ordered, resolution, windows) and
 * every pair of stacks as a row — the faster on RPS first where the pair is ordered — with its
 * RPS and p95 ratios (first / second, FCR interval) and verdicts; a tie states the smallest
 * difference it could have seen, and `†` marks a ratio whose rounds the host disturbed.
 */
import type { LevelPairs } from './level-pairs.js';
import { table } from './markdown-table.js';
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

/** The first of a pair: the better on RPS where ordered, else the one with the higher RPS. */
function firstOf(p: StackPair): string {
  if (p.better) return p.better;
  return Number.isNaN(p.effect.ratio) || p.effect.ratio >= 1 ? p.a : p.b;
}

export function pairTable(l: LevelPairs): string[] {
  if (l.rps.total === 0) return [];
  const rank = new Map(l.byRps.map((r, i) => [r.cell.stack, i]));
  const rows = l.rps.pairs
    .map((p) => {
      const first = firstOf(p);
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
    `RPS: ${certaintyText(l.rps)}. p95: ${certaintyText(l.p95)}.`,
    '',
    'Each pair, the faster on RPS first where they are ordered; ratios are first / second with their interval (for p95 below 1: the first is quicker):',
    '',
    table(
      ['pair', 'RPS ratio', 'RPS', 'p95 ratio', 'p95'],
      rows.map(({ p, first, second }) => {
        const p95 = pairOf(l.p95, p.a, p.b);
        return [
          `${first} / ${second}`,
          ratioCell(p, first),
          verdictCell(p),
          ratioCell(p95, first),
          verdictCell(p95),
        ];
      }),
      ['l', 'r', 'l', 'r', 'l'],
    ),
  ];
}
