import { errorFunction, wilcoxonRankSum } from 'simple-statistics';

export interface RankTest {
  /** Mann–Whitney U of the first sample: pairs (x, y) with x > y, ties counting 1/2 (scipy's U1). */
  u: number;
  /** Two-sided p-value. */
  p: number;
  method: 'exact' | 'asymptotic';
}

/** C(n, k) as a double, by the multiplicative formula (exact while it fits in 53 bits). */
function binomialCoefficient(n: number, k: number): number {
  const small = Math.min(k, n - k);
  let c = 1;
  for (let i = 1; i <= small; i++) c = (c * (n - small + i)) / i;
  return c;
}

/**
 * P(U <= k) under the null for sizes m and n without ties. No library has this distribution, so
 * it is counted by the standard recursion (Mann & Whitney 1947): f(m, n, u) = f(m-1, n, u-n) +
 * f(m, n-1, u), because the largest value comes from x (beating all n y's) or from y. Counts for
 * u > k are never needed, so rows stop at k.
 */
function exactCdf(k: number, m: number, n: number): number {
  // prev[j][u] = f(i-1, j, u); with i = 0 only u = 0 is possible, in one way.
  let prev: Float64Array[] = Array.from({ length: n + 1 }, () => {
    const row = new Float64Array(k + 1);
    row[0] = 1;
    return row;
  });
  for (let i = 1; i <= m; i++) {
    const cur: Float64Array[] = [];
    for (let j = 0; j <= n; j++) {
      const fromX = prev[j]!;
      const fromY = cur[j - 1];
      const row = new Float64Array(k + 1);
      for (let u = 0; u <= k; u++) row[u] = (u >= j ? fromX[u - j]! : 0) + (fromY?.[u] ?? 0);
      cur.push(row);
    }
    prev = cur;
  }
  let count = 0;
  for (const c of prev[n]!) count += c;
  return count / binomialCoefficient(m + n, m);
}

/** Σ (t³ − t) over groups of t equal values, for the variance of U under ties. */
function tieTerm(pooled: readonly number[]): { term: number; ties: boolean } {
  const sorted = [...pooled].sort((a, b) => a - b);
  let term = 0;
  let run = 1;
  for (let i = 1; i <= sorted.length; i++) {
    if (i < sorted.length && sorted[i] === sorted[i - 1]) {
      run++;
    } else {
      term += run ** 3 - run;
      run = 1;
    }
  }
  return { term, ties: term > 0 };
}

/** Upper tail of the standard normal through simple-statistics' erf (relative error ~1e-7). */
function normalSf(z: number): number {
  return 0.5 * (1 - errorFunction(z / Math.SQRT2));
}

function checkSample(name: string, sample: readonly number[]): void {
  if (sample.length === 0) throw new RangeError(`mannWhitneyU: sample ${name} is empty`);
  if (!sample.every(Number.isFinite)) {
    throw new RangeError(`mannWhitneyU: sample ${name} has a non-finite value`);
  }
}

/**
 * Two-sided Mann–Whitney U test, following scipy 1.10's mannwhitneyu(x, y) defaults so the numbers
 * can be checked against it. method='auto' there is: asymptotic when BOTH samples have more than 8
 * values; otherwise exact unless there are ties (the exact distribution assumes none). Asymptotic
 * is the normal approximation with tie-corrected variance and a continuity correction of 1/2.
 * Both samples must be non-empty (RangeError otherwise). Identical samples (all values equal) → p = 1.
 */
export function mannWhitneyU(x: readonly number[], y: readonly number[]): RankTest {
  checkSample('x', x);
  checkSample('y', y);
  const nx = x.length;
  const ny = y.length;
  const u = wilcoxonRankSum(x, y) - (nx * (nx + 1)) / 2;
  // Two-sided: the larger of U1 and U2 = nx·ny − U1, then twice its upper tail.
  const uMax = Math.max(u, nx * ny - u);
  const { term, ties } = tieTerm([...x, ...y]);

  if ((nx <= 8 || ny <= 8) && !ties) {
    // P(U >= uMax) = P(U <= nx·ny − uMax) by symmetry; the smaller size drives the recursion.
    const k = nx * ny - uMax;
    const p = 2 * exactCdf(k, Math.min(nx, ny), Math.max(nx, ny));
    return { u, p: Math.min(1, p), method: 'exact' };
  }

  const n = nx + ny;
  const sd = Math.sqrt(((nx * ny) / 12) * (n + 1 - term / (n * (n - 1))));
  // sd is 0 only when every value is equal: nothing separates the samples.
  if (sd === 0) return { u, p: 1, method: 'asymptotic' };
  const z = (uMax - (nx * ny) / 2 - 0.5) / sd;
  return { u, p: Math.min(1, Math.max(0, 2 * normalSf(z))), method: 'asymptotic' };
}

/** The smallest two-sided p-value the test can give for sizes (nx, ny) without ties: 2 / C(nx+ny, nx), capped at 1. 3 vs 3 → 0.1, 4 vs 4 → 0.0286, 5 vs 5 → 0.0079. */
export function minAchievableP(nx: number, ny: number): number {
  if (!(Number.isInteger(nx) && Number.isInteger(ny) && nx > 0 && ny > 0)) {
    throw new RangeError(`minAchievableP needs positive integer sizes, got ${nx} and ${ny}`);
  }
  return Math.min(1, 2 / binomialCoefficient(nx + ny, nx));
}
