/**
 * The report's verdict: for each connection mode and level (CUs, or offered load), the stacks
 * ranked by median RPS and by median p95 with their 95 % intervals (ties where the intervals
 * overlap), beside how evenly each stack spread the load over its workers (Jain's index of
 * connections and of CPU per worker); first, per mode, the leaders at every level.
 */
import { type Axis, levelLabel } from './axis.js';
import { type Cell, CONNECTION_ORDER } from './cells.js';
import { table } from './markdown-table.js';
import { type Ranked, rank, rankLabel } from './ranking.js';
import type { ConnectionMode } from './schema.js';
import type { Summary } from './stats/index.js';
import { formatSummary } from './summary-format.js';

const jain = (s: Summary | null) => (s === null ? 'n/a' : s.median.toFixed(2));

function modeText(mode: ConnectionMode, axis: Axis): string {
  if (mode === 'close') return 'a new connection per request (`Connection: close`)';
  return axis.kind === 'users'
    ? 'keep-alive users (one connection each, kept for the window)'
    : 'keep-alive connections (a pool kept for the window, grown when all are busy)';
}

interface Level {
  connection: ConnectionMode;
  level: number;
  cells: Cell[];
}

function levelsOf(cells: Cell[]): Level[] {
  const out: Level[] = [];
  for (const connection of CONNECTION_ORDER) {
    const here = cells.filter((c) => c.connection === connection);
    for (const level of [...new Set(here.map((c) => c.level))].sort((a, b) => a - b)) {
      out.push({ connection, level, cells: here.filter((c) => c.level === level) });
    }
  }
  return out;
}

const name = (c: Cell, reference: ReadonlySet<string>) =>
  reference.has(c.stack) ? `${c.stack} (reference)` : c.stack;

/** The change of a cell's median RPS against the baseline stack's at the same level, in %. */
function versusBaseline(c: Cell, l: Level, baseline: string | null): string {
  const base = l.cells.find((x) => x.stack === baseline);
  if (!base || base.summary.rps.median === 0) return 'n/a';
  if (c === base) return 'baseline';
  const pct = (100 * (c.summary.rps.median - base.summary.rps.median)) / base.summary.rps.median;
  return `${pct >= 0 ? '+' : '−'}${Math.abs(pct).toFixed(1)} %`;
}

/** Windows of the cell that measured the host or the driver more than the stack. */
function saturation(c: Cell): string {
  const parts = [
    ...(c.hostBusyWindows ? [`host ${c.hostBusyWindows}/${c.windows}`] : []),
    ...(c.driverSaturatedWindows ? [`driver ${c.driverSaturatedWindows}/${c.windows}`] : []),
  ];
  return parts.length ? parts.join(', ') : '–';
}

/** Per mode, one line per level: the stacks at rank 1 (several when tied), with their balance. */
function leaders(
  levels: Level[],
  axis: Axis,
  reference: ReadonlySet<string>,
  baseline: string | null,
): string[] {
  const out: string[] = [];
  const modes = [...new Set(levels.map((l) => l.connection))];
  for (const mode of modes) {
    out.push(
      '',
      `**${modeText(mode, axis)}** — leading on RPS (rank 1; several when their intervals overlap), with their connection balance${baseline ? ` and their RPS against ${baseline}` : ''}:`,
      '',
    );
    for (const l of levels.filter((x) => x.connection === mode)) {
      const ranked = rank(l.cells, 'rps');
      const first = ranked.filter((r) => r.rank === 1);
      const label = levelLabel(axis, l.level);
      if (first.length === l.cells.length && l.cells.length > 2) {
        // every interval overlaps another: name the spread, not a list of "leaders"
        const top = ranked[0]!.cell;
        const bottom = ranked.at(-1)!.cell;
        out.push(
          `- ${label}: all ${l.cells.length} stacks tied (their intervals overlap) — medians from ${bottom.summary.rps.median.toFixed(1)} RPS (${bottom.stack}) to ${top.summary.rps.median.toFixed(1)} RPS (${top.stack}), ${l.cells[0]!.windows} windows each`,
        );
        continue;
      }
      out.push(
        `- ${label}: ${first.map((r) => `${name(r.cell, reference)} ${formatSummary(r.cell.summary.rps)} RPS, balance ${jain(r.cell.balance.connections)}${baseline && r.cell.stack !== baseline ? `, ${versusBaseline(r.cell, l, baseline)}` : ''}`).join('; ')}${first.length === l.cells.length && l.cells.length > 1 ? ' — all tied' : ''}`,
      );
    }
  }
  return out;
}

function levelTable(l: Level, reference: ReadonlySet<string>, baseline: string | null): string[] {
  const p95Order = rank(l.cells, 'p95');
  const byP95 = new Map<string, Ranked>(p95Order.map((r) => [r.cell.stack, r]));
  return [
    table(
      [
        'RPS rank',
        'stack',
        'RPS',
        ...(baseline ? [`RPS vs ${baseline}`] : []),
        'p95 rank',
        'p95 ms',
        'balance: connections',
        'balance: CPU',
        'saturated',
        'windows',
      ],
      rank(l.cells, 'rps').map((r) => {
        const c = r.cell;
        return [
          rankLabel(r),
          name(c, reference),
          formatSummary(c.summary.rps),
          ...(baseline ? [versusBaseline(c, l, baseline)] : []),
          rankLabel(byP95.get(c.stack)!),
          formatSummary(c.summary.p95),
          jain(c.balance.connections),
          jain(c.balance.cpu),
          saturation(c),
          String(c.windows),
        ];
      }),
      ['r', 'l', 'r', ...(baseline ? ['r' as const] : []), 'r', 'r', 'r', 'r', 'l', 'r'],
    ),
    '',
    `By p95 (lowest first): ${p95Order.map((r) => `${rankLabel(r)} ${r.cell.stack}`).join(', ')}.`,
  ];
}

/**
 * The stack the others are set against in %: the first reference stack that has cells (the
 * manifest lists stacks by name, so `gunicorn-gevent`, the seed's own baseline, where present).
 */
export function baselineStack(cells: Cell[], reference: readonly string[]): string | null {
  return reference.find((r) => cells.some((c) => c.stack === r)) ?? null;
}

/** `## Summary`: per connection mode and level, the leaders (what a reader wants first). */
export function summarySection(cells: Cell[], reference: readonly string[], axis: Axis): string[] {
  return [
    '## Summary',
    ...leaders(levelsOf(cells), axis, new Set(reference), baselineStack(cells, reference)),
  ];
}

export function rankingSection(cells: Cell[], reference: readonly string[], axis: Axis): string[] {
  const levels = levelsOf(cells);
  const baseline = baselineStack(cells, reference);
  const several = new Set(levels.map((l) => l.connection)).size > 1;
  const out = [
    `## Ranking at each level (${axis.unit})`,
    '',
    `Stacks ordered by the median RPS of their windows. A rank counts the stacks whose 95 % interval lies wholly above (for p95: below) this one's; \`=\` marks a tie — the intervals overlap, so the data cannot order them.${baseline ? ` "RPS vs ${baseline}": the change of the median against that reference stack's at the same level (a difference the ranks do not back is not one).` : ''} Balance is the median over the windows of Jain's fairness index across the stack's workers (1 = even; 1/N = one of N workers took everything): of the connections each worker held mid-window, and of the CPU time each used. Saturated: windows in which the host's CPU was above 90 % or the load driver was at its limit (the figures then measure the host or the driver as much as the stack).`,
  ];
  for (const l of levels) {
    const title = several
      ? `${l.connection}, ${levelLabel(axis, l.level)}`
      : levelLabel(axis, l.level);
    out.push('', `### ${title}`, '', ...levelTable(l, new Set(reference), baseline));
  }
  return out;
}
