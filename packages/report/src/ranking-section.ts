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

/** Per mode, one line per level: the stacks at rank 1 (several when tied), with their balance. */
function leaders(levels: Level[], axis: Axis, reference: ReadonlySet<string>): string[] {
  const out: string[] = [];
  const modes = [...new Set(levels.map((l) => l.connection))];
  for (const mode of modes) {
    out.push(
      '',
      `**${modeText(mode, axis)}** — leading on RPS (rank 1; several when their intervals overlap), with their connection balance:`,
      '',
    );
    for (const l of levels.filter((x) => x.connection === mode)) {
      const first = rank(l.cells, 'rps').filter((r) => r.rank === 1);
      out.push(
        `- ${levelLabel(axis, l.level)}: ${first.map((r) => `${name(r.cell, reference)} ${formatSummary(r.cell.summary.rps)} RPS, balance ${jain(r.cell.balance.connections)}`).join('; ')}${first.length === l.cells.length && l.cells.length > 1 ? ' — all tied' : ''}`,
      );
    }
  }
  return out;
}

function levelTable(l: Level, reference: ReadonlySet<string>): string[] {
  const p95Order = rank(l.cells, 'p95');
  const byP95 = new Map<string, Ranked>(p95Order.map((r) => [r.cell.stack, r]));
  return [
    table(
      [
        'RPS rank',
        'stack',
        'RPS',
        'p95 rank',
        'p95 ms',
        'balance: connections',
        'balance: CPU',
        'windows',
      ],
      rank(l.cells, 'rps').map((r) => {
        const c = r.cell;
        return [
          rankLabel(r),
          name(c, reference),
          formatSummary(c.summary.rps),
          rankLabel(byP95.get(c.stack)!),
          formatSummary(c.summary.p95),
          jain(c.balance.connections),
          jain(c.balance.cpu),
          String(c.windows),
        ];
      }),
      ['r', 'l', 'r', 'r', 'r', 'r', 'r', 'r'],
    ),
    '',
    `By p95 (lowest first): ${p95Order.map((r) => `${rankLabel(r)} ${r.cell.stack}`).join(', ')}.`,
  ];
}

export function rankingSection(
  cells: Cell[],
  reference: ReadonlySet<string>,
  axis: Axis,
): string[] {
  const levels = levelsOf(cells);
  const several = new Set(levels.map((l) => l.connection)).size > 1;
  const out = [
    '## Summary',
    ...leaders(levels, axis, reference),
    '',
    `## Ranking at each level (${axis.unit})`,
    '',
    "Stacks ordered by the median RPS of their windows. A rank counts the stacks whose 95 % interval lies wholly above (for p95: below) this one's; `=` marks a tie — the intervals overlap, so the data cannot order them. Balance is the median over the windows of Jain's fairness index across the stack's workers (1 = even; 1/N = one of N workers took everything): of the connections each worker held mid-window, and of the CPU time each used.",
  ];
  for (const l of levels) {
    const title = several
      ? `${l.connection}, ${levelLabel(axis, l.level)}`
      : levelLabel(axis, l.level);
    out.push('', `### ${title}`, '', ...levelTable(l, reference));
  }
  return out;
}
