/**
 * The report's verdict: at each CUs level, the stacks ranked by median RPS and by median p95
 * with their 95 % intervals (ties where the intervals overlap), beside how evenly each stack
 * spread the load over its workers (Jain's index of connections and of CPU per worker).
 */
import type { Cell } from './cells.js';
import { table } from './markdown-table.js';
import { rank, rankLabel } from './ranking.js';
import type { Summary } from './stats/index.js';
import { formatSummary } from './summary-format.js';

const jain = (s: Summary | null) => (s === null ? 'n/a' : s.median.toFixed(2));

export function rankingSection(cells: Cell[], reference: ReadonlySet<string>): string[] {
  const levels = [...new Set(cells.map((c) => c.cus))].sort((a, b) => a - b);
  const out = [
    '## Ranking at each CUs level',
    '',
    "Stacks ordered by the median RPS of their windows. A rank counts the stacks whose 95 % interval lies wholly above (for p95: below) this one's; `=` marks a tie — the intervals overlap, so the data cannot order them. Balance is the median over the windows of Jain's fairness index across the stack's workers (1 = even; 1/N = one of N workers took everything): of the connections each worker held mid-window, and of the CPU time each used.",
  ];
  for (const cus of levels) {
    const here = cells.filter((c) => c.cus === cus);
    const p95Order = rank(here, 'p95');
    const byP95 = new Map(p95Order.map((r) => [r.cell.stack, r]));
    out.push('', `### ${cus} CUs`, '');
    out.push(
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
        rank(here, 'rps').map((r) => {
          const p95 = byP95.get(r.cell.stack)!;
          const c = r.cell;
          return [
            rankLabel(r),
            reference.has(c.stack) ? `${c.stack} (reference)` : c.stack,
            formatSummary(c.summary.rps),
            rankLabel(p95),
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
    );
  }
  return out;
}
