/**
 * Compare two result sets for a PR: deltas per stack × CUs of RPS, median, p95 and failures,
 * each flagged only beyond the noise threshold (from repetitions when the sets have them).
 */
import { IncomparableSetsError } from './errors.js';
import type { ResultSet } from './read-set.js';
import { type CycleRow, stackRows } from './rows.js';
import type { Manifest } from './schema.js';

export interface CompareOptions {
  /** Noise threshold in percent when the sets have no repetitions. */
  thresholdPct: number;
  /** Compare even when profile hash or host class differ. */
  force: boolean;
}

type Metric = 'rps' | 'med' | 'p95' | 'failures';
/** Which direction is worse: RPS down, durations and failures up. */
const WORSE: Record<Metric, 1 | -1> = { rps: -1, med: 1, p95: 1, failures: 1 };

export interface MetricDelta {
  base: number;
  head: number;
  /** Relative change in percent (failures: relative to max(base, 1)). */
  deltaPct: number;
  thresholdPct: number;
  flag: 'regression' | 'improvement' | null;
}

export interface DeltaRow {
  stack: string;
  cus: number;
  metrics: Record<Metric, MetricDelta>;
}

export interface Comparison {
  warnings: string[];
  rows: DeltaRow[];
  /** Stacks present in only one of the sets. */
  unmatched: string[];
}

export function hostClass(manifest: Manifest): string {
  return `${manifest.host.cpuModel} × ${manifest.host.cores} cores`;
}

/** Reasons two sets are not comparable; empty when they are. */
export function incomparability(base: Manifest, head: Manifest): string[] {
  const reasons: string[] = [];
  if (base.profile.hash !== head.profile.hash) {
    reasons.push(
      `profile differs: base ${base.profile.name} (hash ${base.profile.hash}), head ${head.profile.name} (hash ${head.profile.hash})`,
    );
  }
  if (hostClass(base) !== hostClass(head)) {
    reasons.push(`host class differs: base ${hostClass(base)}, head ${hostClass(head)}`);
  }
  return reasons;
}

function cvPct(values: number[]): number | null {
  if (values.length < 2) return null;
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  if (mean === 0) return 0;
  const variance = values.reduce((a, b) => a + (b - mean) ** 2, 0) / (values.length - 1);
  return (100 * Math.sqrt(variance)) / Math.abs(mean);
}

function delta(metric: Metric, base: CycleRow, head: CycleRow, fallback: number): MetricDelta {
  const b = base[metric];
  const h = head[metric];
  const denominator = metric === 'failures' ? Math.max(b, 1) : Math.abs(b);
  const deltaPct = denominator === 0 ? 0 : (100 * (h - b)) / denominator;
  const spreads = [cvPct(base.samples[metric]), cvPct(head.samples[metric])].filter(
    (v): v is number => v !== null,
  );
  // two standard deviations of the noisier side, never below 1 %
  const thresholdPct = spreads.length ? Math.max(1, 2 * Math.max(...spreads)) : fallback;
  let flag: MetricDelta['flag'] = null;
  const significant =
    Math.abs(deltaPct) > thresholdPct && (metric !== 'failures' || Math.abs(h - b) >= 1);
  if (significant) flag = Math.sign(h - b) === WORSE[metric] ? 'regression' : 'improvement';
  return { base: b, head: h, deltaPct, thresholdPct, flag };
}

export function compareSets(base: ResultSet, head: ResultSet, options: CompareOptions): Comparison {
  const reasons = incomparability(base.manifest, head.manifest);
  if (reasons.length && !options.force) {
    throw new IncomparableSetsError(
      `${base.dir} and ${head.dir} are not comparable: ${reasons.join('; ')}. Pass --force to compare anyway.`,
    );
  }
  const rows: DeltaRow[] = [];
  const headByName = new Map(head.stacks.map((s) => [s.stack.name, s]));
  const baseNames = new Set(base.stacks.map((s) => s.stack.name));
  const unmatched = [
    ...base.stacks.filter((s) => !headByName.has(s.stack.name)).map((s) => s.stack.name),
    ...head.stacks.filter((s) => !baseNames.has(s.stack.name)).map((s) => s.stack.name),
  ];
  for (const baseStack of base.stacks) {
    const headStack = headByName.get(baseStack.stack.name);
    if (!headStack) continue;
    const headRows = new Map(stackRows(headStack).map((r) => [r.cus, r]));
    for (const baseRow of stackRows(baseStack)) {
      const headRow = headRows.get(baseRow.cus);
      if (!headRow) continue;
      const metrics = {} as Record<Metric, MetricDelta>;
      for (const metric of Object.keys(WORSE) as Metric[]) {
        metrics[metric] = delta(metric, baseRow, headRow, options.thresholdPct);
      }
      rows.push({ stack: baseStack.stack.name, cus: baseRow.cus, metrics });
    }
  }
  return { warnings: reasons, rows, unmatched };
}

/** Regressions beyond both the noise threshold and `pct` (for `--fail-on-regression`). */
export function regressionsBeyond(comparison: Comparison, pct: number): string[] {
  return comparison.rows.flatMap((row) =>
    (Object.entries(row.metrics) as [Metric, MetricDelta][])
      .filter(([, d]) => d.flag === 'regression' && Math.abs(d.deltaPct) > pct)
      .map(([metric, d]) => `${row.stack} @ ${row.cus} CUs: ${metric} ${d.deltaPct.toFixed(1)} %`),
  );
}

function cell(d: MetricDelta, digits: number): string {
  const sign = d.deltaPct >= 0 ? '+' : '';
  const text = `${d.base.toFixed(digits)} → ${d.head.toFixed(digits)} (${sign}${d.deltaPct.toFixed(1)} %)`;
  if (d.flag === 'regression') return `**${text}** ⚠️`;
  if (d.flag === 'improvement') return `**${text}** ✅`;
  return text;
}

export function formatComparison(base: ResultSet, head: ResultSet, c: Comparison): string {
  const lines = [
    `## stackbench compare: \`${base.manifest.setId}\` → \`${head.manifest.setId}\``,
    '',
    `Profile ${head.manifest.profile.name} (hash \`${head.manifest.profile.hash}\`), host class ${hostClass(head.manifest)}. Deltas are flagged (⚠️ worse, ✅ better) only beyond the noise threshold: twice the larger coefficient of variation over repetitions when present, else the fixed threshold shown.`,
  ];
  for (const w of c.warnings) lines.push('', `> **Warning (compared with --force):** ${w}`);
  if (c.unmatched.length) lines.push('', `Not in both sets: ${c.unmatched.join(', ')}.`);
  lines.push(
    '',
    '| stack | CUs | RPS | med ms | p95 ms | failures | threshold % |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
  );
  for (const row of c.rows) {
    const m = row.metrics;
    lines.push(
      `| ${row.stack} | ${row.cus} | ${cell(m.rps, 1)} | ${cell(m.med, 1)} | ${cell(m.p95, 1)} | ${cell(m.failures, 0)} | ${m.rps.thresholdPct.toFixed(1)} |`,
    );
  }
  if (c.rows.length === 0) lines.push('', '_No stack × CUs in common._');
  return `${lines.join('\n')}\n`;
}
