/**
 * How a median with its confidence interval is written everywhere (report and compare):
 * `213.2 [200.1, 220.5]`, with a mark when the interval is [min, max] because K is too small
 * for the 95 % level (the footnote says which confidence it does have).
 */
import { minSamplesForConfidence, type Summary } from './stats/index.js';

export const CI_LEVEL = 0.95;
/** Marks an interval whose confidence is below the level asked. */
export const LOW_CONFIDENCE_MARK = '¹';

export function digitsFor(value: number): number {
  const v = Math.abs(value);
  return v >= 100 ? 1 : v >= 10 ? 2 : 3;
}

export function formatSummary(s: Summary, digits = digitsFor(s.median)): string {
  const mark = s.n > 1 && s.confidence < CI_LEVEL ? LOW_CONFIDENCE_MARK : '';
  if (s.n === 1) return `${s.median.toFixed(digits)} (n=1)`;
  return `${s.median.toFixed(digits)} [${s.lo.toFixed(digits)}, ${s.hi.toFixed(digits)}]${mark}`;
}

/** The footnote for `LOW_CONFIDENCE_MARK`, or null when every summary reached the level. */
export function lowConfidenceNote(summaries: Iterable<Summary>): string | null {
  const low = [...summaries].filter((s) => s.n > 1 && s.confidence < CI_LEVEL);
  if (low.length === 0) return null;
  const confidence = Math.min(...low.map((s) => s.confidence));
  return `${LOW_CONFIDENCE_MARK} [min, max] of fewer than ${minSamplesForConfidence(CI_LEVEL)} windows: a ${(100 * confidence).toFixed(1)} % interval at least, not ${100 * CI_LEVEL} %.`;
}
