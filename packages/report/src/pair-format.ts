/**
 * How what the pairs decide is written: a ratio with its interval (`1.12 [1.05, 1.19]`, as
 * first / second of a pair), a resolution (`6.1 %`), and the certainty of a level (`12 of 28
 * pairs ordered, resolution 6.1 % (median over pairs; worst 14 %), 6–9 windows per stack`).
 */
import type { GroupPairs, StackPair } from './pairs.js';
import type { PairEffect } from './stats/index.js';

/** Marks a pair's verdict that rests on rounds with a window the host disturbed. */
export const DISTURBED_MARK = '†';

export const DISTURBED_NOTE = `${DISTURBED_MARK} The verdict rests on rounds in which the host disturbed a window of one of the two stacks (stolen or foreign CPU above the set's thresholds; see "The host during the windows"): read it with care.`;

/** `6.1 %`, `14 %`; `∞` when a pair shares fewer than two rounds (no interval). */
export function resolutionText(pct: number): string {
  if (!Number.isFinite(pct)) return '∞';
  return `${pct < 10 ? pct.toFixed(1) : pct.toFixed(0)} %`;
}

/** A ratio and its interval, with enough digits to tell the bounds apart. */
export function ratioText(ratio: number, lo: number, hi: number): string {
  // a bound that would read as 1.00 next to a verdict gets a third digit (it is not 1)
  const digits = hi - lo < 0.05 || lo.toFixed(2) === '1.00' || hi.toFixed(2) === '1.00' ? 3 : 2;
  const f = (v: number) => (Number.isFinite(v) ? v.toFixed(digits) : '∞');
  return `${f(ratio)} [${f(lo)}, ${f(hi)}]`;
}

/** The effect as `first / other`: the pair's own (a / b), or its inverse. */
export function oriented(pair: StackPair, first: string): Pick<PairEffect, 'ratio' | 'lo' | 'hi'> {
  const e = pair.effect;
  if (pair.a === first) return { ratio: e.ratio, lo: e.lo, hi: e.hi };
  return { ratio: 1 / e.ratio, lo: 1 / e.hi, hi: 1 / e.lo };
}

/** The pair between two stacks, if the group has it. */
export function pairOf(g: GroupPairs, x: string, y: string): StackPair | undefined {
  return g.pairs.find((p) => (p.a === x && p.b === y) || (p.a === y && p.b === x));
}

/** `6 windows per stack`, `6–9 windows per stack`. */
export function windowsText(g: GroupPairs): string {
  const { min, max } = g.windows;
  return `${min === max ? min : `${min}–${max}`} window${max === 1 ? '' : 's'} per stack`;
}

/** `; worst 14 %`, or nothing when the level has one pair or its worst reads as its median. */
export function worstText(g: GroupPairs): string {
  const worst = resolutionText(g.worstResolutionPct);
  return g.total > 1 && worst !== resolutionText(g.resolutionPct) ? `; worst ${worst}` : '';
}

/** `resolution 6.1 % (median over pairs; worst 14 %)`. */
function resolutionSummary(g: GroupPairs): string {
  return `resolution ${resolutionText(g.resolutionPct)} (${g.total > 1 ? 'median over pairs' : 'its one pair'}${worstText(g)})`;
}

/** `12 of 28 pairs ordered, resolution 6.1 % (median over pairs; worst 14 %), 6–9 windows per stack`. */
export function certaintyText(g: GroupPairs): string {
  return `${g.decided} of ${g.total} pair${g.total === 1 ? '' : 's'} ordered, ${resolutionSummary(g)}, ${windowsText(g)}`;
}
