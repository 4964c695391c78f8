/**
 * The report's verdict: for each workload, connection mode and level (CUs, or offered load), the stacks in
 * the order their pairs decide — each pair compared round by round, Benjamini–Hochberg over the
 * pairs of the level, FCR intervals (pairs.ts) — with each stack's median [95 % interval], the
 * pairs that are ordered (ratio with interval), those that are not with their resolution, and
 * how evenly each stack spread the load over its workers; first, per mode, one line per level.
 */

import type { ConnectionMode, DriverCeiling } from '@stackbench/result';
import { type Axis, levelLabel } from './axis.js';
import { type Cell, cellSummary } from './cells.js';
import { ceilingText } from './driver-bound.js';
import {
  groupLabel,
  groupsOf,
  namesWorkloads,
  sameGroup,
  severalGroups,
  workloadText,
} from './group.js';
import { type LevelPairs, rankLabel } from './level-pairs.js';
import { table } from './markdown-table.js';
import { LEAD_METRIC, METRIC_REGISTRY, type MetricDef, metricDef, pairedOf } from './metrics.js';
import {
  certaintyText,
  DISTURBED_NOTE,
  resolutionText,
  windowsText,
  worstText,
} from './pair-format.js';
import { pairTable } from './pair-table.js';
import type { GroupPairs } from './pairs.js';
import type { Summary } from './stats/index.js';
import { formatSummary } from './summary-format.js';

const jain = (s: Summary | null) => (s === null ? 'n/a' : s.median.toFixed(2));
const summaryText = (s: Summary | null) => (s === null ? 'n/a' : formatSummary(s));
/** The lead metric's median of a cell (every window has it: the registry's `always`). */
const leadSummary = (c: Cell, l: Pick<LevelPairs, 'lead'>) => cellSummary(c, l.lead.metric.key)!;
/** The metrics of the levels' pairs (the registry's paired ones, in its order). */
const metricsOf = (levels: LevelPairs[]): MetricDef[] =>
  levels[0]?.byMetric.map((m) => m.metric) ?? pairedOf(METRIC_REGISTRY);

function modeText(mode: ConnectionMode, axis: Axis): string {
  if (mode === 'close') return 'a new connection per request (`Connection: close`)';
  return axis.kind === 'users'
    ? 'keep-alive users (one connection each, kept for the window)'
    : 'keep-alive connections (a pool kept for the window, grown when all are busy)';
}

const name = (c: Cell, reference: ReadonlySet<string>) =>
  reference.has(c.stack) ? `${c.stack} (reference)` : c.stack;

/** The change of a cell's median on the lead metric against the baseline stack's at the same level, in %. */
function versusBaseline(c: Cell, l: LevelPairs, baseline: string | null): string {
  const base = l.cells.find((x) => x.stack === baseline);
  if (!base || leadSummary(base, l).median === 0) return 'n/a';
  if (c === base) return 'baseline';
  const pct =
    (100 * (leadSummary(c, l).median - leadSummary(base, l).median)) / leadSummary(base, l).median;
  return `${pct >= 0 ? '+' : '−'}${Math.abs(pct).toFixed(1)} %`;
}

/** Windows of the cell that measured the host or the driver more than the stack. */
function saturation(c: Cell): string {
  const parts = [
    ...(c.hostBusyWindows ? [`host ${c.hostBusyWindows}/${c.windows}`] : []),
    ...(c.driverSaturatedWindows ? [`driver ${c.driverSaturatedWindows}/${c.windows}`] : []),
    ...(c.driverBoundWindows ? [`driver-bound ${c.driverBoundWindows}/${c.windows}`] : []),
    ...(c.disturbedWindows ? [`disturbed ${c.disturbedWindows}/${c.windows}`] : []),
    ...(c.replacedWindows ? [`${c.replacedWindows} re-run`] : []),
  ];
  return parts.length ? parts.join(', ') : '–';
}

/** The driver-bound flag explained, with the ceiling it was held against. */
function boundText(ceiling: DriverCeiling | undefined): string {
  if (!ceiling?.hosts.length) {
    return "driver-bound: not assessed, the set has no measurement of the driver's ceiling (sets before it)";
  }
  return `driver-bound: windows whose rate (offered in an open loop, achieved in a closed one) reached ${ceiling.boundPct} % of what the driver's load threads send at most against a server that costs nothing, measured before the set: ${ceilingText(ceiling)} (the driver, not the stack, may then be the limit, even when its CPU looks spare)`;
}

/** What a level whose pairs order nothing could still have seen. */
export function couldHaveSeen(g: GroupPairs): string {
  if (!Number.isFinite(g.resolutionPct)) {
    return 'no pair has the windows to be compared (two shared rounds, or two windows each), so no difference could have been seen';
  }
  return `could have seen differences of ${resolutionText(g.resolutionPct)} or more (resolution, ${g.total > 1 ? 'median over pairs' : 'of its one pair'}${worstText(g)})`;
}

/** Ranked cells grouped by rank: `1 a 184.4 [163.4, 202.1] RPS; =2 b …, =2 c …`. */
function orderText(l: LevelPairs): string {
  const { ranked, metric } = l.lead;
  const ranks = [...new Set(ranked.map((r) => r.rank))];
  return ranks
    .map((rank) =>
      ranked
        .filter((r) => r.rank === rank)
        .map(
          (r) =>
            `${rankLabel(r)} ${r.cell.stack} ${formatSummary(leadSummary(r.cell, l))} ${metric.short}`,
        )
        .join(', '),
    )
    .join('; ');
}

/**
 * One level of the summary, on the lead metric: the order and its certainty, or "all tied" with
 * its resolution.
 */
function summaryLine(l: LevelPairs, axis: Axis): string {
  const label = levelLabel(axis, l.level);
  const g = l.lead.pairs;
  const unit = l.lead.metric.short;
  if (l.cells.length === 1) {
    const c = l.cells[0]!;
    return `- ${label}: ${c.stack} ${formatSummary(leadSummary(c, l))} ${unit}, the only stack measured (${c.windows} windows)`;
  }
  if (g.decided === 0) {
    const median = (c: Cell) => leadSummary(c, l).median;
    const byMedian = [...l.cells].sort((a, b) => l.lead.metric.better * (median(b) - median(a)));
    const top = byMedian[0]!;
    const bottom = byMedian.at(-1)!;
    const all = l.cells.length === 2 ? 'both stacks' : `all ${l.cells.length} stacks`;
    return `- ${label}: ${all} tied — ${couldHaveSeen(g)}; medians from ${median(bottom).toFixed(1)} ${unit} (${bottom.stack}) to ${median(top).toFixed(1)} ${unit} (${top.stack}), ${windowsText(g)}`;
  }
  return `- ${label}: ${orderText(l)}; ${certaintyText(g)}`;
}

/**
 * `## Summary`: per workload and connection mode, then level, the order the pairs decide and its
 * certainty: stacks are ranked within one workload, never across.
 */
export function summarySection(levels: LevelPairs[], axis: Axis, extra: string[] = []): string[] {
  const out = ['## Summary'];
  const lead = metricDef(LEAD_METRIC);
  const withWorkload = namesWorkloads(levels);
  for (const group of groupsOf(levels)) {
    const head = withWorkload
      ? `${workloadText(group.workload)}, ${modeText(group.connection, axis)}`
      : modeText(group.connection, axis);
    out.push(
      '',
      `**${head}** — leading on ${lead.prose}, the stacks in the order their pairs decide (\`=\`: a shared rank), each with its median ${lead.prose} [95 % interval]; then how many pairs are ordered and the resolution, the smallest difference the pairs could have seen:`,
      '',
      ...levels.filter((l) => sameGroup(l, group)).map((l) => summaryLine(l, axis)),
    );
  }
  if (extra.length) out.push('', ...extra);
  return out;
}

function levelTable(
  l: LevelPairs,
  reference: ReadonlySet<string>,
  baseline: string | null,
): string[] {
  const lead = l.lead.metric;
  // rows in the lead metric's order; every other paired metric: its rank and median beside it
  const others = l.byMetric
    .filter((m) => m !== l.lead)
    .map((m) => ({ ...m, byStack: new Map(m.ranked.map((r) => [r.cell.stack, r])) }));
  return [
    table(
      [
        `${lead.short} rank`,
        'stack',
        lead.label,
        ...(baseline ? [`${lead.short} vs ${baseline}`] : []),
        ...others.flatMap((m) => [`${m.metric.short} rank`, m.metric.label]),
        'balance: connections',
        'balance: CPU',
        'saturated',
        'windows',
      ],
      l.lead.ranked.map((r) => {
        const c = r.cell;
        return [
          rankLabel(r),
          name(c, reference),
          formatSummary(leadSummary(c, l)),
          ...(baseline ? [versusBaseline(c, l, baseline)] : []),
          ...others.flatMap((m) => {
            const rank = m.byStack.get(c.stack);
            return [rank ? rankLabel(rank) : 'n/a', summaryText(cellSummary(c, m.metric.key))];
          }),
          jain(c.balance.connections),
          jain(c.balance.cpu),
          saturation(c),
          String(c.windows),
        ];
      }),
      [
        'r',
        'l',
        'r',
        ...(baseline ? ['r' as const] : []),
        ...others.flatMap(() => ['r' as const, 'r' as const]),
        'r',
        'r',
        'l',
        'r',
      ],
    ),
    '',
    others
      .map(
        (m) =>
          `By ${m.metric.prose} (${m.metric.better === 1 ? 'highest' : 'lowest'} first): ${m.ranked.map((r) => `${rankLabel(r)} ${r.cell.stack}`).join(', ')}.`,
      )
      .join(' '),
    ...pairTable(l),
  ];
}

/**
 * The stack the others are set against in %: the first reference stack that has cells (the
 * manifest lists stacks by name, so `gunicorn-gevent`, the seed's own baseline, where present).
 */
export function baselineStack(cells: Cell[], reference: readonly string[]): string | null {
  return reference.find((r) => cells.some((c) => c.stack === r)) ?? null;
}

/** `(for p95: lower)`: the paired metrics on which a better stack has the lower figure. */
function lowerText(metrics: MetricDef[]): string {
  const lower = metrics.filter((m) => m.better === -1).map((m) => m.prose);
  return lower.length ? ` (for ${lower.join(', ')}: lower)` : '';
}

const method = (metrics: MetricDef[]) =>
  `How the stacks are ordered. Two stacks are compared as a pair, round by round: in each round both ran a window at this level on the same host within minutes, so whatever the host did in between falls on both; the pair's ratio is the geometric mean of their per-round ratios (over the rounds both ran), and a paired t-test on the logarithms says whether it differs from 1 — its variance moderated over the level's pairs, which share the host's noise (empirical Bayes, Smyth 2004: each pair borrows as much as the pairs' variances agree). A level with N stacks has N(N−1)/2 pairs, so the verdicts are controlled together: Benjamini–Hochberg at 5 % over the pairs of the level (of the pairs called ordered, at most 5 % are expected to be wrong), and each ratio's interval is widened to match (false-coverage-rate intervals, Benjamini–Yekutieli 2005). A stack's rank is 1 + the stacks the pairs decide are faster${lowerText(metrics)}; \`=\` marks a shared rank — no decided pair sets those stacks apart. A tie is not a finding that two stacks are equal: its **resolution** is the smallest difference the pair's interval would have excluded, so "tied, resolution 6 %" means a difference of 6 % or more would have been seen. Each stack's own figure is still the median of its windows with a distribution-free 95 % interval.`;

export function rankingSection(
  levels: LevelPairs[],
  cells: Cell[],
  reference: readonly string[],
  axis: Axis,
  ceiling?: DriverCeiling,
): string[] {
  const baseline = baselineStack(cells, reference);
  const several = severalGroups(levels);
  const withWorkload = namesWorkloads(levels);
  const lead = metricDef(LEAD_METRIC);
  const out = [
    `## Ranking at each level (${axis.unit})`,
    '',
    method(metricsOf(levels)),
    '',
    `${baseline ? `"${lead.short} vs ${baseline}": the change of the median against that reference stack's at the same level (a difference the ranks do not back is not one). ` : ''}Balance is the median over the windows of Jain's fairness index across the stack's workers (1 = even; 1/N = one of N workers took everything): of the connections each worker held mid-window, and of the CPU time each used. Saturated: windows in which the host's CPU was above 90 % or the load driver was at its limit (the figures then measure the host or the driver as much as the stack); ${boundText(ceiling)}; disturbed: windows in which the host's stolen or foreign CPU passed the set's thresholds, and re-run: disturbed windows measured again (kept in the stack's file, not counted).`,
  ];
  for (const l of levels) {
    const title = several
      ? `${groupLabel(l, withWorkload)}, ${levelLabel(axis, l.level)}`
      : levelLabel(axis, l.level);
    out.push('', `### ${title}`, '', ...levelTable(l, new Set(reference), baseline));
  }
  const marked = levels.some((l) =>
    l.byMetric.some((m) => m.pairs.pairs.some((p) => p.effect.decided && p.disturbedRounds > 0)),
  );
  if (marked) out.push('', DISTURBED_NOTE);
  return out;
}
