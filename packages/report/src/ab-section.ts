/**
 * How an A/B set's verdict is written (ab-verdict.ts computes it): the summary line — how many
 * comparisons head won, lost or left at "~", and the resolution — and the section
 * `## A/B: head against base`: what base and head are, how the intervals are made, then one
 * table per cell with each stack's ratios head / base of every metric the verdict was made on
 * (the registry's `ab` ones, in its order: RPS, p95 and CPU per request).
 */

import type { AbRecord, AbSide } from '@stackbench/result';
import type { AbCell, AbEffect, AbVerdict } from './ab-verdict.js';
import { type Axis, levelLabel } from './axis.js';
import { groupLabel, namesWorkloads, sameGroup, severalGroups } from './group.js';
import { table } from './markdown-table.js';
import { LEAD_METRIC, type MetricDef, metricDef } from './metrics.js';
import { DISTURBED_MARK, ratioText, resolutionText } from './pair-format.js';

/** Resolutions are stated on the lead metric (metrics.ts says why). */
const LEAD = metricDef(LEAD_METRIC);
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** `RPS, p95 and CPU per request`. */
function listText(items: string[]): string {
  return items.length < 2
    ? (items[0] ?? '')
    : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}

const sameCell = (
  x: Pick<AbCell, 'workload' | 'connection' | 'level'>,
  y: Pick<AbCell, 'workload' | 'connection' | 'level'>,
) => sameGroup(x, y) && x.level === y.level;

/** `2 stacks at 1 level`, or `2 stacks in 4 cells of 2 connection modes`. */
function scopeText(v: AbVerdict): string {
  const stacks = new Set(v.effects.map((e) => e.stack)).size;
  const modes = new Set(v.cells.map((c) => c.connection)).size;
  const where =
    modes > 1
      ? `in ${plural(v.cells.length, 'cell')} of ${modes} connection modes`
      : `at ${plural(v.cells.length, 'level')}`;
  return `${plural(stacks, 'stack')} ${where}`;
}

/**
 * `**A/B, head vs base:** 0 better, 1 worse, 5 ~ (of 6 comparisons: RPS, p95 and CPU per
 * request of 2 stacks at 1 level), resolution 4.1 % (median over stacks and levels, RPS)`.
 */
export function abSummaryLine(v: AbVerdict): string {
  const lead = '**A/B, head vs base:**';
  if (v.effects.length === 0) {
    return `${lead} no stack has windows of both sides in any cell: nothing to compare`;
  }
  const metrics = v.metrics.filter((m) => v.effects.some((e) => e.metric === m.key));
  const of = `of ${plural(v.effects.length, 'comparison')}: ${listText(metrics.map((m) => m.prose))} of ${scopeText(v)}`;
  return `${lead} ${v.better} better, ${v.worse} worse, ${v.same} ~ (${of}), resolution ${resolutionText(v.resolutionPct)} (median over stacks and levels, ${LEAD.short})`;
}

/** `0.91 [0.87, 0.96]`, `1.003 [0.981, 1.025] ~`, with † when a decided one rests on disturbed rounds. */
function effectText(e: AbEffect | undefined): string {
  if (!e) return 'n/a';
  const { ratio, lo, hi, resolutionPct } = e.effect;
  if (Number.isNaN(ratio)) return 'n/a (no windows)';
  if (!Number.isFinite(resolutionPct)) return `${ratio.toFixed(3)} ~ (too few rounds)`;
  const mark = e.verdict === '~' ? ' ~' : e.disturbedRounds > 0 ? ` ${DISTURBED_MARK}` : '';
  return `${ratioText(ratio, lo, hi)}${mark}`;
}

/** `prefork-rr keep-alive @ 20: RPS head/base 0.81 [0.66, 0.99]`: one comparison on a line (bins' logs). */
export function abEffectLine(e: AbEffect): string {
  const { ratio, lo, hi } = e.effect;
  return `${e.stack} ${e.workload === 'seed' ? '' : `${e.workload} `}${e.connection} @ ${e.level}: ${e.def.prose} head/base ${ratioText(ratio, lo, hi)}`;
}

/** `**worse**: RPS; **better**: CPU/req`, or `~`. */
function verdictText(effects: AbEffect[]): string {
  const parts = (['worse', 'better'] as const).flatMap((verdict) => {
    const metrics = effects.filter((e) => e.verdict === verdict).map((e) => e.def.short);
    return metrics.length ? [`**${verdict}**: ${metrics.join(', ')}`] : [];
  });
  return parts.length ? parts.join('; ') : '~';
}

function roundsText(effects: AbEffect[]): string {
  const n = Math.min(...effects.map((e) => e.effect.n));
  return effects.some((e) => !e.effect.paired) ? `${n} (unpaired)` : String(n);
}

/** `main` at `0123456789ab` (uncommitted changes), app parameters …. */
function sideText(name: 'base' | 'head', s: AbSide): string {
  const env = Object.entries(s.env);
  return [
    `- **${name}**: \`${s.ref}\` at \`${s.commit.slice(0, 12)}\``,
    s.dirty ? ' with uncommitted changes' : '',
    env.length
      ? `; app parameters of this side only: ${env.map(([k, val]) => `${k}=${val}`).join(', ')}`
      : '',
  ].join('');
}

/** Packages whose version differs between the two builds: `fastify 5.1.0 → 5.2.0`. */
function versionsText(r: AbRecord): string | null {
  const names = [...new Set([...Object.keys(r.base.versions), ...Object.keys(r.head.versions)])]
    .filter((n) => r.base.versions[n] !== r.head.versions[n])
    .sort();
  if (names.length === 0) return null;
  const v = (x: string | undefined) => x ?? 'absent';
  return `- versions that differ (base → head): ${names.map((n) => `${n} ${v(r.base.versions[n])} → ${v(r.head.versions[n])}`).join(', ')}`;
}

function recordLines(v: AbVerdict, record: AbRecord | undefined): string[] {
  if (!record) {
    return ['What base and head are was not recorded (the manifest has no `ab`).'];
  }
  const compared = new Set(v.effects.map((e) => e.stack));
  const missing = record.stacks.filter((s) => !compared.has(s));
  return [
    sideText('base', record.base),
    sideText('head', record.head),
    ...[versionsText(record)].filter((l): l is string => l !== null),
    `- stacks: ${record.stacks.map((s) => `\`${s}\``).join(', ') || 'none'}${missing.length ? ` (no comparison for ${missing.join(', ')}: a side has no windows)` : ''}`,
  ];
}

/** `a higher RPS and a lower p95 and CPU per request (the stack's CPU time …)`. */
function betterText(metrics: readonly MetricDef[]): string {
  const named = (m: MetricDef) => (m.gloss ? `${m.prose} (${m.gloss})` : m.prose);
  const side = (better: 1 | -1, word: string) => {
    const list = metrics.filter((m) => m.better === better).map(named);
    return list.length ? [`a ${word} ${listText(list)}`] : [];
  };
  return [...side(1, 'higher'), ...side(-1, 'lower')].join(' and ');
}

function method(alpha: number, metrics: readonly MetricDef[]): string {
  const pct = `${+(alpha * 100).toFixed(2)} %`;
  return `How the ratios are made. Each stack ran as \`STACK@base\` and \`STACK@head\` in the same interleaved rounds, so in every round both sides ran a window of each cell on the same host within minutes: a ratio head / base is the geometric mean of the per-round ratios, and a paired t-test on the logarithms says whether it differs from 1. Every comparison of the set — each stack, cell and metric — is one family: Benjamini–Hochberg at ${pct} over all of them, so when head and base do not differ the chance of any "better" or "worse" in the whole set is at most ${pct}; each interval is widened to match (false-coverage-rate intervals, Benjamini–Yekutieli 2005). Better is ${betterText(metrics)}. A \`~\` is not "equal": the interval includes 1, and the cell's **resolution** — the smallest change its intervals would have excluded — says how large a change could have been seen; a change smaller than that may be there.`;
}

function cellTitle(
  c: AbCell,
  axis: Axis | undefined,
  several: boolean,
  withWorkload: boolean,
): string {
  const level = axis ? levelLabel(axis, c.level) : `level ${c.level}`;
  return several ? `${groupLabel(c, withWorkload)}, ${level}` : level;
}

function cellLines(v: AbVerdict, c: AbCell, axis: Axis | undefined, several: boolean): string[] {
  const here = v.effects.filter((e) => sameCell(e, c));
  const stacks = [...new Set(here.map((e) => e.stack))];
  const rows = stacks.map((stack) => {
    const mine = here.filter((e) => e.stack === stack);
    return [
      stack,
      ...v.metrics.map((m) => effectText(mine.find((e) => e.metric === m.key))),
      roundsText(mine),
      verdictText(mine),
    ];
  });
  const dropped = here.filter((e) => e.dropped > 0);
  return [
    `### ${cellTitle(c, axis, several, namesWorkloads(v.cells))}`,
    '',
    table(['stack', ...v.metrics.map((m) => `${m.short} head/base`), 'rounds', 'verdict'], rows, [
      'l',
      ...v.metrics.map(() => 'r' as const),
      'r',
      'l',
    ]),
    '',
    `Resolution ${resolutionText(c.resolutionPct)} (median over the stacks of the cell, ${LEAD.short}); the fewest rounds behind a ratio: ${c.rounds}.`,
    ...(dropped.length
      ? [
          '',
          `Windows left out (they served nothing, or recorded no CPU time): ${dropped.map((e) => `${e.stack} ${e.def.short} ${e.dropped}`).join(', ')}.`,
        ]
      : []),
  ];
}

/**
 * `## A/B: head against base`: the summary line, what base and head are, how the intervals are
 * made, then per cell a table of each stack's ratios head / base with their intervals (`~`: the
 * interval includes 1), the rounds behind them and the verdict, and the cell's resolution. Levels
 * are named with `axis` when given (`50 CUs`), else `level 50`.
 */
export function formatAbVerdict(v: AbVerdict, record: AbRecord | undefined, axis?: Axis): string {
  const several = severalGroups(v.cells);
  const out = [
    '## A/B: head against base',
    '',
    abSummaryLine(v),
    '',
    ...recordLines(v, record),
    '',
    method(v.alpha, v.metrics),
  ];
  for (const c of v.cells) out.push('', ...cellLines(v, c, axis, several));
  const marked = v.effects.some((e) => e.verdict !== '~' && e.disturbedRounds > 0);
  if (marked) {
    out.push(
      '',
      `${DISTURBED_MARK} The verdict rests on rounds in which the host disturbed a window of one of the two sides (stolen or foreign CPU above the set's thresholds): read it with care.`,
    );
  }
  return out.join('\n');
}
