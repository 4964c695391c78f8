/**
 * Pairwise effects: is stack A faster than stack B, by how much, and how sure is that over all
 * the pairs of one cell? Pure numerics; pairs.ts feeds them from a set's windows.
 *
 * Method, per pair (values must be positive and finite):
 * - The effect is a ratio, so it is measured on logarithms: a window's ln(value).
 * - Paired (a[i] and b[i] from the same round, sharing the round's host drift) with n ≥ 2 pairs:
 *   the one-sample t on d[i] = ln a[i] − ln b[i], n − 1 degrees of freedom; the ratio is
 *   exp(mean d), the geometric mean of the per-round ratios.
 * - Unpaired, each side ≥ 2 values: Welch's t on ln a against ln b, degrees of freedom by
 *   Welch–Satterthwaite; the ratio is exp(mean ln a − mean ln b).
 * - Too few values (n < 2, or a side < 2): p = 1, never decided, interval [0, ∞),
 *   resolutionPct = ∞. The ratio is NaN when a side has no value at all.
 * - Zero variance (every d equal; unpaired: both sides constant): width 0, and p = 0 when the
 *   mean log ratio is not 0, else p = 1 (t would be ±∞ or 0/0).
 *
 * Over the family — the pairs passed in one call, the pairs of one cell — Benjamini–Hochberg on
 * the p-values: decided ⇔ BH rejects at alpha ⇔ pAdjusted ≤ alpha. With R decided out of m,
 * the intervals are the false-coverage-rate intervals of Benjamini & Yekutieli (2005): a decided
 * pair's at level 1 − R·alpha/m, an undecided one's at 1 − (R+1)·alpha/m. That keeps verdict and
 * interval in agreement: BH's R is the largest k with p(k) ≤ k·alpha/m, so a decided pair has
 * p ≤ R·alpha/m (its interval excludes 1; it touches 1 only at equality) and an undecided one,
 * of rank k > R, has p > k·alpha/m ≥ (R+1)·alpha/m (its interval contains 1).
 *
 * Student's t comes from jstat's regularised incomplete beta and its inverse (simple-statistics
 * has no t distribution): the two-sided p is I_{ν/(ν+t²)}(ν/2, 1/2), which stays accurate for
 * tiny p where 1 − CDF would cancel, and the quantile t(1 − γ/2, ν) is √(ν(1 − x)/x) with
 * x = I⁻¹_γ(ν/2, 1/2). Against SciPy: p within 3e-7 and quantiles within 1e-7, relative.
 */
import { createRequire } from 'node:module';
import { mean, sampleVariance } from 'simple-statistics';
import { fitPrior, moderate } from './moderated-variance.js';
import { adjustPValues } from './multiple-comparisons.js';

export interface PairSample {
  a: number[];
  b: number[];
  /** a[i] and b[i] come from the same round (then a and b have the same length). */
  paired: boolean;
}

export interface PairEffect {
  /** Pairs (paired) or min(len a, len b) (unpaired) — the n the interval rests on. */
  n: number;
  paired: boolean;
  /** Degrees of freedom of the test and interval: n − 1 (paired), Welch's, or more when moderated; 0 with too few values. */
  df: number;
  /** Geometric-mean ratio a/b: exp(mean of ln a − ln b) (paired) or exp(mean ln a − mean ln b) (unpaired); NaN when a side is empty. */
  ratio: number;
  /** Interval of the ratio at `level` ([0, ∞) when n < 2). */
  lo: number;
  hi: number;
  /** The interval's FCR-adjusted level: 1 − R·alpha/m (decided) or 1 − (R+1)·alpha/m. */
  level: number;
  /** Two-sided p of the t test on the log ratios (paired t, or Welch's t when unpaired). */
  p: number;
  /** After Benjamini–Hochberg over the family. */
  pAdjusted: number;
  decided: boolean;
  /** 100 × (exp(half-width of the interval in log space) − 1): the smallest difference this interval would have excluded, %. Infinity when n < 2. */
  resolutionPct: number;
}

/** The two functions of jstat (a CommonJS module without types) this file needs. */
interface JStat {
  /** Regularised incomplete beta I_x(a, b). */
  ibeta(x: number, a: number, b: number): number;
  /** Its inverse in x. */
  ibetainv(p: number, a: number, b: number): number;
}
const { jStat } = createRequire(import.meta.url)('jstat') as { jStat: JStat };

/** Two-sided tail of Student's t with `df` degrees of freedom: P(|T| ≥ |t|). */
export function studentTwoSidedP(t: number, df: number): number {
  if (Number.isNaN(t)) return 1;
  if (!Number.isFinite(t)) return 0;
  return Math.min(1, Math.max(0, jStat.ibeta(df / (df + t * t), df / 2, 0.5)));
}

/** The t with P(|T| ≥ t) = gamma: Student's quantile at 1 − gamma/2. */
export function studentQuantile(gamma: number, df: number): number {
  const x = jStat.ibetainv(gamma, df / 2, 0.5);
  return Math.sqrt((df * (1 - x)) / x);
}

/** What the test of one pair gives before the family is seen. */
interface Test {
  n: number;
  paired: boolean;
  /** Mean log ratio (NaN when a side is empty). */
  d: number;
  /** Standard error of d; null when there are too few values for one. */
  se: number | null;
  df: number;
  p: number;
}

/** Sample variance, exactly 0 when every value is equal (the mean of equal values may round). */
function variance(xs: readonly number[]): number {
  return xs.every((x) => x === xs[0]) ? 0 : sampleVariance(xs);
}

function logs(name: string, xs: readonly number[]): number[] {
  return xs.map((x) => {
    if (!(Number.isFinite(x) && x > 0)) {
      throw new RangeError(
        `pairEffects: sample ${name} needs positive finite values, got ${x} (a window that served nothing is for the caller to leave out)`,
      );
    }
    return Math.log(x);
  });
}

function tested(d: number, se: number, df: number): number {
  if (se === 0) return d === 0 ? 1 : 0;
  return studentTwoSidedP(d / se, df);
}

function testPair(sample: PairSample): Test {
  const la = logs('a', sample.a);
  const lb = logs('b', sample.b);
  if (sample.paired) {
    if (la.length !== lb.length) {
      throw new RangeError(
        `pairEffects: a paired sample needs as many a as b values, got ${la.length} and ${lb.length}`,
      );
    }
    const diffs = la.map((x, i) => x - lb[i]!);
    const n = diffs.length;
    const d = n ? mean(diffs) : Number.NaN;
    if (n < 2) return { n, paired: true, d, se: null, df: 0, p: 1 };
    const se = Math.sqrt(variance(diffs) / n);
    return { n, paired: true, d, se, df: n - 1, p: tested(d, se, n - 1) };
  }
  const na = la.length;
  const nb = lb.length;
  const n = Math.min(na, nb);
  const d = n ? mean(la) - mean(lb) : Number.NaN;
  if (n < 2) return { n, paired: false, d, se: null, df: 0, p: 1 };
  const va = variance(la) / na;
  const vb = variance(lb) / nb;
  const se = Math.sqrt(va + vb);
  // Welch–Satterthwaite; undefined (0/0) only when se = 0, where the width is 0 anyway.
  const df = se === 0 ? 0 : (va + vb) ** 2 / (va ** 2 / (na - 1) + vb ** 2 / (nb - 1));
  return { n, paired: false, d, se, df, p: tested(d, se, df) };
}

export interface PairOptions {
  /**
   * Moderate the variances of the paired samples over the family (moderated-variance.ts: a
   * prior fitted to all of them, each pair's posterior variance), their degrees of freedom
   * capped at `maxDf`. Needs at least 3 paired samples with n ≥ 2; unpaired ones keep Welch.
   */
  moderate?: { maxDf: number };
}

/** The family's paired tests with moderated variances (see PairOptions). */
function moderated(tests: Test[], maxDf: number): Test[] {
  const fit = tests.filter((t) => t.paired && t.se !== null && t.n >= 2);
  if (fit.length < 3) return tests;
  const prior = fitPrior(
    fit.map((t) => (t.se as number) ** 2 * t.n),
    fit.map((t) => t.n - 1),
  );
  return tests.map((t) => {
    if (!fit.includes(t)) return t;
    const post = moderate((t.se as number) ** 2 * t.n, t.n - 1, prior, Math.max(maxDf, t.n - 1));
    const se = Math.sqrt(post.variance / t.n);
    return { ...t, se, df: post.df, p: tested(t.d, se, post.df) };
  });
}

/**
 * Ratio a/b of each sample with its p-value, its Benjamini–Hochberg verdict over all the
 * samples of the call (one family: the pairs of one cell) and its FCR interval; see the file's
 * comment for the method. `alpha` is the false discovery rate (default 0.05), in (0, 1).
 * Values must be positive and finite (RangeError otherwise): a window with 0 RPS served nothing
 * and is for the caller to drop first.
 */
export function pairEffects(
  samples: readonly PairSample[],
  alpha = 0.05,
  options: PairOptions = {},
): PairEffect[] {
  if (!(alpha > 0 && alpha < 1)) {
    throw new RangeError(`pairEffects: alpha must lie in (0, 1), got ${alpha}`);
  }
  const raw = samples.map(testPair);
  const tests = options.moderate ? moderated(raw, options.moderate.maxDf) : raw;
  const m = tests.length;
  const pAdjusted = adjustPValues(
    tests.map((t) => t.p),
    'bh',
  );
  const decided = pAdjusted.map((q) => q <= alpha);
  const r = decided.filter(Boolean).length;
  return tests.map((t, i) => {
    const isDecided = decided[i]!;
    const gamma = ((isDecided ? Math.max(r, 1) : r + 1) * alpha) / m;
    const base = {
      n: t.n,
      paired: t.paired,
      df: t.df,
      ratio: Math.exp(t.d),
      level: 1 - gamma,
      p: t.p,
      pAdjusted: pAdjusted[i]!,
      decided: isDecided,
    };
    if (t.se === null) {
      const inf = Number.POSITIVE_INFINITY;
      return { ...base, lo: 0, hi: inf, resolutionPct: inf };
    }
    const half = t.se === 0 ? 0 : studentQuantile(gamma, t.df) * t.se;
    return {
      ...base,
      lo: Math.exp(t.d - half),
      hi: Math.exp(t.d + half),
      resolutionPct: 100 * Math.expm1(half),
    };
  });
}
