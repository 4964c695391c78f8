/**
 * compare.md: the summary line first (how many metrics got worse, better, or did not change
 * beyond noise), the significant changes sorted by effect, then one table per metric.
 */
import { cellName } from './cells.js';
import {
  type CellComparison,
  COMPARED_LABEL,
  type ComparedMetric,
  type Comparison,
  hostClass,
  type MetricComparison,
} from './compare.js';
import { DISTURBED_MARK } from './pair-format.js';
import type { ResultSet } from './read-set.js';
import { formatSummary, lowConfidenceNote } from './summary-format.js';

const CORRECTION_TEXT: Record<Comparison['correction'], string> = {
  holm: "Holm's correction over every test of the comparison (when nothing changed, the chance of any flag at all is at most α)",
  bh: 'Benjamini–Hochberg over every test of the comparison (false discovery rate α)',
  cell: "Holm's correction over the metrics of each cell (when nothing changed, about α of the cells are flagged)",
  none: 'no correction for multiple comparisons (as benchstat; expect α of all tests flagged by chance)',
};

const signed = (pct: number) => `${pct >= 0 ? '+' : ''}${pct.toFixed(1)} %`;

const isDisturbed = (cell: CellComparison) => cell.disturbed.base + cell.disturbed.head > 0;

/** `† 2/8 head windows disturbed`, or nothing when neither set's windows were. */
function disturbedText(cell: CellComparison): string {
  const d = cell.disturbed;
  const parts = [
    ...(d.base ? [`${d.base}/${d.baseWindows} base`] : []),
    ...(d.head ? [`${d.head}/${d.headWindows} head`] : []),
  ];
  return parts.length ? ` ${DISTURBED_MARK} ${parts.join(', ')} windows disturbed` : '';
}

function change(m: MetricComparison, cell: CellComparison): string {
  const disturbed = disturbedText(cell);
  if (m.verdict === '~') return `~ (p=${m.pAdjusted.toFixed(3)})${disturbed}`;
  const icon = m.verdict === 'worse' ? '⚠️ worse' : '✅ better';
  return `**${signed(m.deltaPct)}** ${icon} (p=${m.pAdjusted.toFixed(3)})${disturbed}`;
}

export function formatComparison(base: ResultSet, head: ResultSet, c: Comparison): string {
  const metrics = [
    ...new Set(c.cells.flatMap((cell) => cell.metrics.map((m) => m.metric))),
  ] as ComparedMetric[];
  const onDisturbed = c.cells
    .filter(isDisturbed)
    .reduce((n, cell) => n + cell.metrics.filter((m) => m.verdict !== '~').length, 0);
  const lines = [
    `## stackbench compare: \`${base.manifest.setId}\` → \`${head.manifest.setId}\``,
    '',
    `**${c.counts.worse} worse, ${c.counts.better} better, ${c.counts['~']} ~** (${c.tests} tests: ${c.cells.length} cells × ${metrics.length} metrics).${onDisturbed ? ` ${onDisturbed} of the changes rest${onDisturbed === 1 ? 's' : ''} on windows the host disturbed (${DISTURBED_MARK}).` : ''}`,
    '',
    `Profile ${head.manifest.profile.name} (hash \`${head.manifest.profile.hash}\`), host class ${hostClass(head.manifest)}. Per cell (stack × ${c.axis.unit}) and metric: the median of the per-window values with its 95 % confidence interval (order statistics) and the number of windows n; a two-sided Mann–Whitney U test over the windows, α = ${c.alpha}, ${CORRECTION_TEXT[c.correction]}; a change is reported only when significant and at least ${c.minChangePct} % (smaller ones are within the drift of a host between two sets). \`~\`: not reported; p is after the correction.`,
  ];
  for (const w of c.warnings) lines.push('', `> **Warning (compared with --force):** ${w}`);
  for (const u of c.underpowered) {
    lines.push(
      '',
      `> **Too few windows to decide:** with ${u.base} vs ${u.head} windows the smallest p-value the test can give is ${u.minP.toFixed(3)} ≥ α = ${c.alpha}, so these cells can never be flagged. Measure more windows (\`--samples\`; 4 vs 4 is the least for α = 0.05, 6 for a 95 % interval).`,
    );
  }
  if (c.unmatched.length) lines.push('', `Not in both sets: ${c.unmatched.join(', ')}.`);
  if (c.cells.length === 0) {
    lines.push('', `_No stack × ${c.axis.unit} in common._`);
    return `${lines.join('\n')}\n`;
  }
  const flagged = c.cells
    .flatMap((cell) => cell.metrics.map((m) => ({ cell, m })))
    .filter(({ m }) => m.verdict !== '~')
    .sort((a, b) => Math.abs(b.m.deltaPct) - Math.abs(a.m.deltaPct));
  lines.push('', '### Significant changes, largest first', '');
  if (flagged.length === 0) lines.push('_None: every difference is within the noise._');
  else {
    lines.push(
      `| stack | ${c.axis.unit} | metric | base | head | change |`,
      '| --- | ---: | --- | ---: | ---: | --- |',
    );
    for (const { cell, m } of flagged) {
      lines.push(
        `| ${cellName(cell)} | ${cell.level} | ${COMPARED_LABEL[m.metric]} | ${formatSummary(m.base)} n=${m.base.n} | ${formatSummary(m.head)} n=${m.head.n} | ${change(m, cell)} |`,
      );
    }
  }
  for (const metric of metrics) {
    lines.push(
      '',
      `### ${COMPARED_LABEL[metric]}`,
      '',
      `| stack | ${c.axis.unit} | base | head | change |`,
      '| --- | ---: | ---: | ---: | --- |',
    );
    for (const cell of c.cells) {
      const m = cell.metrics.find((x) => x.metric === metric);
      if (!m) continue;
      lines.push(
        `| ${cellName(cell)} | ${cell.level} | ${formatSummary(m.base)} n=${m.base.n} | ${formatSummary(m.head)} n=${m.head.n} | ${change(m, cell)} |`,
      );
    }
  }
  if (c.cells.some(isDisturbed)) {
    lines.push(
      '',
      `${DISTURBED_MARK} The cell has windows in which the host disturbed the measurement (stolen or foreign CPU above the set's thresholds; the report's "The host during the windows" lists them), in the set named; a change there may be the host's, not the stack's.`,
    );
  }
  const note = lowConfidenceNote(
    c.cells.flatMap((cell) => cell.metrics.flatMap((m) => [m.base, m.head])),
  );
  if (note) lines.push('', note);
  return `${lines.join('\n')}\n`;
}
