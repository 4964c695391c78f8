export type Correction = 'none' | 'holm' | 'bh';

/**
 * Adjusted p-values in the input order: 'none' returns them unchanged; 'holm' Holm–Bonferroni
 * step-down; 'bh' Benjamini–Hochberg step-up (monotone, capped at 1), as statsmodels'
 * multipletests(method='holm' / 'fdr_bh').
 *
 * Holm controls the chance of any false "changed" among the cells (use it for a CI gate);
 * BH controls the expected share of false ones among those flagged (more power over many cells).
 */
export function adjustPValues(p: readonly number[], correction: Correction): number[] {
  for (const v of p) {
    if (!(v >= 0 && v <= 1)) throw new RangeError(`p-values must lie in [0, 1], got ${v}`);
  }
  const m = p.length;
  // Indices by ascending p; sort is stable, and equal p-values get equal adjustments either way.
  const order = p.map((_, i) => i).sort((a, b) => p[a]! - p[b]!);
  const out = new Array<number>(m);
  switch (correction) {
    case 'none':
      return [...p];
    case 'holm': {
      // The r-th smallest is tested at alpha / (m − r + 1); the running max keeps it monotone.
      let running = 0;
      order.forEach((i, r) => {
        running = Math.max(running, Math.min(1, (m - r) * p[i]!));
        out[i] = running;
      });
      return out;
    }
    case 'bh': {
      // The r-th smallest scaled by m / r; the running min from the top keeps it monotone.
      let running = 1;
      for (let r = m; r >= 1; r--) {
        const i = order[r - 1]!;
        running = Math.min(running, (m / r) * p[i]!);
        out[i] = running;
      }
      return out;
    }
    default:
      throw new RangeError(`unknown correction ${String(correction)}; valid: 'none', 'holm', 'bh'`);
  }
}
