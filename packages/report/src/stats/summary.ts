import { binomialDistribution, medianSorted } from 'simple-statistics';

/** Median of K per-window values with a distribution-free confidence interval from order statistics. */
export interface Summary {
  /** Number of values (windows). */
  n: number;
  median: number;
  /** Lower end of the CI. */
  lo: number;
  /** Upper end of the CI. */
  hi: number;
  /** Confidence actually achieved by [lo, hi]: >= the level asked when n is large enough, else the coverage of [min, max] (< level). */
  confidence: number;
}

/**
 * Coverages are dyadic rationals computed through logarithms (simple-statistics' binomial), so an
 * exactly reachable level (0.5 for n = 2) may come out a few ulps short; this keeps it reached.
 */
const SLACK = 1e-12;

function checkLevel(level: number): void {
  if (!(level > 0 && level < 1)) {
    throw new RangeError(`confidence level must be between 0 and 1 (exclusive), got ${level}`);
  }
}

/**
 * Coverage of [x(k), x(n+1-k)] for k = 1, 2, ... while k <= (n+1)/2: the median lies between
 * them unless at most k-1 values fall below it (or above), so 1 - 2·BinomCDF(k-1; n, 1/2).
 * Decreasing in k.
 */
function coverages(n: number): number[] {
  const pmf = binomialDistribution(n, 0.5);
  if (pmf === undefined) throw new RangeError(`no binomial distribution for n = ${n}`);
  const out: number[] = [];
  let cdf = 0;
  for (let k = 1; k <= (n + 1) / 2; k++) {
    cdf += pmf[k - 1] ?? 0;
    out.push(1 - 2 * cdf);
  }
  return out;
}

/**
 * Median with the order-statistic CI benchstat uses (sample.go/QuantileCI): the widest-needed,
 * i.e. the LARGEST k whose [x(k), x(n+1-k)] still reaches `level`; no distributional assumption.
 * When even [min, max] falls short, that interval is returned with its lower confidence (benchstat
 * returns ±∞ there; a finite range is more useful in a report, and `confidence` says it fell short).
 */
export function summarize(values: readonly number[], level = 0.95): Summary {
  checkLevel(level);
  const n = values.length;
  if (n === 0) throw new RangeError('summarize needs at least one value, got none');
  if (!values.every(Number.isFinite)) {
    throw new RangeError(`summarize needs finite values, got ${values.join(', ')}`);
  }
  const sorted = [...values].sort((a, b) => a - b);
  const median = medianSorted(sorted);
  if (n === 1) return { n, median, lo: median, hi: median, confidence: 0 };
  const cover = coverages(n);
  let k = 1;
  while (k < cover.length && (cover[k] ?? 0) >= level - SLACK) k++;
  return {
    n,
    median,
    lo: sorted[k - 1]!,
    hi: sorted[n - k]!,
    confidence: cover[k - 1]!,
  };
}

/** Smallest n for which summarize reaches `level` (6 for 0.95). */
export function minSamplesForConfidence(level = 0.95): number {
  checkLevel(level);
  // [min, max] is the widest interval, so the level is reachable once its coverage 1 - 2^(1-n) is.
  let n = 1;
  while ((coverages(n)[0] ?? 0) < level - SLACK) n++;
  return n;
}
