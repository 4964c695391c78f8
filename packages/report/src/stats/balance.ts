import { max, mean, sum } from 'simple-statistics';

function checkShares(shares: readonly number[]): void {
  for (const s of shares) {
    if (!(Number.isFinite(s) && s >= 0)) {
      throw new RangeError(`worker shares must be finite and non-negative, got ${s}`);
    }
  }
}

/** Jain's fairness index (Σx)² / (n·Σx²) over per-worker shares: 1 = perfectly even, 1/n = one worker takes all. null when n = 0 or every share is 0. */
export function jainIndex(shares: readonly number[]): number | null {
  checkShares(shares);
  const squares = sum(shares.map((s) => s * s));
  if (shares.length === 0 || squares === 0) return null;
  return sum(shares) ** 2 / (shares.length * squares);
}

/** max / mean of the shares (1 = even, n = one takes all); null when n = 0 or the mean is 0. */
export function maxOverMean(shares: readonly number[]): number | null {
  checkShares(shares);
  if (shares.length === 0) return null;
  const m = mean(shares);
  return m === 0 ? null : max(shares) / m;
}
