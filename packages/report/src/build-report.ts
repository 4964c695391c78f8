/** Rebuilds `report.md` and `charts/` of a result set from its JSON files alone. */
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '@stackbench/cli';
import { allCharts, type ChartStack } from './charts.js';
import { renderMarkdown } from './markdown.js';
import { readResultSet } from './read-set.js';
import { renderSvg } from './render-svg.js';
import { stackRows } from './rows.js';
import { stableStringify } from './stable-json.js';

export interface BuiltReport {
  reportPath: string;
  /** Chart files written, relative to the set directory. */
  charts: string[];
}

export async function buildReport(dir: string): Promise<BuiltReport> {
  const set = readResultSet(dir);
  const stacks: ChartStack[] = set.stacks.map((s) => ({
    name: s.stack.name,
    title: s.stack.title,
    reference: s.stack.reference,
    rows: stackRows(s),
  }));
  const charts = allCharts(set.manifest, stacks);
  const chartsDir = join(dir, 'charts');
  mkdirSync(chartsDir, { recursive: true });
  // charts of stacks no longer in the set must not linger
  for (const name of readdirSync(chartsDir)) {
    if (name.endsWith('.svg') || name.endsWith('.vl.json')) rmSync(join(chartsDir, name));
  }
  const written: string[] = [];
  for (const chart of charts.filter((c) => !c.empty)) {
    writeFileAtomic(join(chartsDir, `${chart.name}.vl.json`), stableStringify(chart.spec));
    writeFileAtomic(join(chartsDir, `${chart.name}.svg`), await renderSvg(chart.spec, chart.name));
    written.push(`charts/${chart.name}.vl.json`, `charts/${chart.name}.svg`);
  }
  const reportPath = join(dir, 'report.md');
  writeFileAtomic(reportPath, renderMarkdown(set, charts));
  return { reportPath, charts: written };
}
