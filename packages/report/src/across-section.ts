/**
 * `## Across stacks`: one table per figure (RPS, p50, p95, p99, max, CPU per request), a row per
 * stack and a column per level (and workload and connection mode), so a reader compares stacks along a row of
 * levels or down a column — the medians with their 95 % intervals and K beside each table.
 */
import { type Axis, levelLabel } from './axis.js';
import { type Cell, METRIC_LABEL, METRICS } from './cells.js';
import {
  type CellGroupKey,
  groupLabel,
  groupsOf,
  namesWorkloads,
  sameGroup,
  severalGroups,
} from './group.js';
import { table } from './markdown-table.js';
import type { Summary } from './stats/index.js';
import { formatSummary } from './summary-format.js';

interface Column extends CellGroupKey {
  level: number;
}

function columnsOf(cells: Cell[]): Column[] {
  const out: Column[] = [];
  for (const group of groupsOf(cells)) {
    const levels = new Set(cells.filter((c) => sameGroup(c, group)).map((c) => c.level));
    for (const level of [...levels].sort((a, b) => a - b)) out.push({ ...group, level });
  }
  return out;
}

function figureTable(
  cells: Cell[],
  stacks: string[],
  columns: Column[],
  axis: Axis,
  pick: (c: Cell) => Summary | null,
): string {
  const several = severalGroups(columns);
  const withWorkload = namesWorkloads(columns);
  const header = columns.map(
    (c) => `${levelLabel(axis, c.level)}${several ? ` ${groupLabel(c, withWorkload)}` : ''}`,
  );
  const rows = stacks.map((stack) => [
    stack,
    ...columns.map((col) => {
      const cell = cells.find(
        (c) => c.stack === stack && sameGroup(c, col) && c.level === col.level,
      );
      const s = cell ? pick(cell) : null;
      return s ? formatSummary(s) : 'n/a';
    }),
  ]);
  return table(['stack', ...header], rows, ['l', ...columns.map(() => 'r' as const)]);
}

export function acrossSection(cells: Cell[], stacks: string[], axis: Axis): string[] {
  if (cells.length === 0) return [];
  const columns = columnsOf(cells);
  const windows = [...new Set(cells.map((c) => c.windows))].sort((a, b) => a - b);
  const out = [
    '## Across stacks',
    '',
    `Each figure's median over the windows of a cell, with its 95 % interval; ${windows.length === 1 ? `${windows[0]} windows per cell` : `${windows.join(' to ')} windows per cell (see the ranking tables)`}. Latency in ms, per window (p50, p95, p99, max), then the median of those.`,
  ];
  for (const metric of METRICS) {
    out.push(
      '',
      `**${METRIC_LABEL[metric]}**`,
      '',
      figureTable(cells, stacks, columns, axis, (c) => c.summary[metric]),
    );
  }
  if (cells.some((c) => c.cpuMsPerRequest.summary)) {
    out.push(
      '',
      "**CPU ms per request** (the CPU time of all the stack's processes over the window, per finished request)",
      '',
      figureTable(cells, stacks, columns, axis, (c) => c.cpuMsPerRequest.summary),
    );
  }
  return out;
}
