/**
 * report.md, summary first: the title with what was not measured and whether the host was busy,
 * the order the pairs decide at each level (an A/B set's verdict first), what was measured and
 * how, an A/B set's verdict per stack and cell, the ranking at each level,
 * the host during the windows, the database (a db workload's), the twin, every figure across stacks, the charts, then each stack
 * in detail. A pure function of the result set, so re-runs are identical.
 */
import { abSummaryLine, formatAbVerdict } from './ab-section.js';
import { abVerdict } from './ab-verdict.js';
import { acrossSection } from './across-section.js';
import { axisOf } from './axis.js';
import { registryCells } from './cells.js';
import type { ChartSpec } from './charts.js';
import { databaseSection } from './database-section.js';
import { levelPairs } from './level-pairs.js';
import { measuredSection, titleBlock } from './measured-section.js';
import { METRIC_REGISTRY, type MetricRegistry } from './metrics.js';
import { noiseSection } from './noise-section.js';
import { rankingSection, summarySection } from './ranking-section.js';
import type { ResultSet } from './read-set.js';
import { stackSection } from './stack-section.js';
import { lowConfidenceNote } from './summary-format.js';
import { twinSection, twinSummary } from './twin-section.js';

/** `registry`: the metrics the cells, pairs and A/B verdict are made of (a test adds one). */
export function renderMarkdown(
  set: ResultSet,
  charts: ChartSpec[],
  registry: MetricRegistry = METRIC_REGISTRY,
): string {
  const ceiling = set.manifest.driverCeiling;
  const cellsByStack = new Map(
    set.stacks.map((s) => [s.stack.name, registryCells(s, registry, ceiling)]),
  );
  const allCells = [...cellsByStack.values()].flat();
  const reference = set.manifest.stacks.filter((s) => s.reference).map((s) => s.name);
  const settings = set.manifest.profile.settings;
  const axis = axisOf(settings);
  const levels = allCells.length ? levelPairs(set.stacks, allCells, registry) : [];
  const ab = set.manifest.ab && allCells.length ? abVerdict(set.stacks, undefined, registry) : null;
  const out = [...titleBlock(set), ''];
  if (allCells.length) {
    const skipped = set.manifest.database?.skipped;
    const summary = summarySection(levels, axis, [
      ...twinSummary(set.manifest.stacks, levels),
      ...(skipped ? [`- db cells skipped: ${skipped}.`] : []),
    ]);
    // an A/B set's verdict leads: the line under the heading
    if (ab) summary.splice(1, 0, '', abSummaryLine(ab));
    out.push(...summary, '');
  }
  out.push(...measuredSection(set, axis, allCells), '');
  if (ab) out.push(formatAbVerdict(ab, set.manifest.ab, axis), '');
  if (allCells.length) {
    out.push(...rankingSection(levels, allCells, reference, axis, set.manifest.driverCeiling), '');
    const measured = set.manifest.stacks.map((s) => s.name).filter((n) => cellsByStack.has(n));
    for (const section of [
      noiseSection(allCells, measured, axis, settings.disturbance),
      databaseSection(set.manifest, set.stacks, axis),
      twinSection(set.manifest.stacks, levels, axis),
    ]) {
      if (section.length) out.push(...section, '');
    }
    out.push(...acrossSection(allCells, measured, axis), '');
  }
  for (const chart of charts.filter((c) => c.stack === null)) {
    // a chart with nothing to draw is a line of text instead (no empty axes)
    out.push(
      chart.empty
        ? `${chart.title}: ${chart.empty}.`
        : `![${chart.title}](charts/${chart.name}.svg)`,
      '',
    );
  }
  for (const entry of set.manifest.stacks) {
    const cells = cellsByStack.get(entry.name) ?? [];
    out.push(...stackSection(entry, set, cells, axis, charts));
  }
  const low = lowConfidenceNote(allCells.flatMap((c) => Object.values(c.summary)));
  if (low) out.push(low, '');
  return `${out.join('\n').trimEnd()}\n`;
}
