/**
 * The method's parts that only some sets have, each omitted where the set has none: how the
 * windows were sized by the cell's response time (per mode and level: warm-up, measured seconds,
 * steady warm-ups, response time), adaptive sampling (the K cells started with, the budget, the
 * extra rounds and why, why it stopped) and the windows re-run because the host disturbed them.
 */

import type { Manifest } from '@stackbench/result';
import { median } from 'simple-statistics';
import type { Axis } from './axis.js';
import type { Cell } from './cells.js';
import {
  compareGroups,
  groupHeader,
  groupKey,
  groupLabel,
  namesWorkloads,
  severalGroups,
} from './group.js';
import { table } from './markdown-table.js';

const s1 = (v: number) => v.toFixed(1);

/** `responses 5, requests 1`: how many windows each rule sized. */
function tally(values: string[]): string {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([k, n]) => `${k} ${n}`)
    .join(', ');
}

export function windowSizingLines(m: Manifest, cells: Cell[], axis: Axis): string[] {
  const sized = cells.filter((c) => c.sizing.length > 0);
  if (sized.length === 0) return [];
  const several = severalGroups(sized);
  const withWorkload = namesWorkloads(sized);
  const keyOf = (c: Cell) => `${groupKey(c)}|${c.level}`;
  const firsts = [...new Map(sized.map((c) => [keyOf(c), c])).values()].sort(
    (a, b) => compareGroups(a, b) || a.level - b.level,
  );
  const rows = firsts.map((first) => {
    const here = sized.filter((c) => keyOf(c) === keyOf(first));
    const all = here.flatMap((c) => c.sizing);
    return [
      ...(several ? [groupLabel(first, withWorkload)] : []),
      String(first.level),
      s1(median(all.map((w) => w.warmupS))),
      s1(median(all.map((w) => w.measuredS))),
      `${all.filter((w) => w.steady).length} of ${all.length}`,
      s1(median(all.map((w) => w.responseTimeMs))),
      tally(all.map((w) => w.sizedBy)),
    ];
  });
  const ws = m.profile.settings.windowSizing;
  const rule = ws
    ? ` Each warm-up lasts until throughput is steady (at least ${m.profile.settings.cycleWarmupS} s, at most ${ws.maxWarmupS} s); each measured part lasts at least ${ws.responsesPerUser} response times per user and ${ws.minRequests} requests (at least ${m.profile.settings.durationS} s, at most ${ws.maxDurationS} s).`
    : '';
  return [
    '',
    `**Windows sized by the response time.**${rule} Per level, over every stack's windows: the median warm-up and measured seconds, the warm-ups that reached steady throughput (the others ran to their cap), the median response time the windows were sized by, and what set their length:`,
    '',
    table(
      [
        ...(several ? [groupHeader(withWorkload)] : []),
        axis.unit,
        'warm-up s',
        'measured s',
        'steady',
        'response time ms',
        'sized by',
      ],
      rows,
      [...(several ? ['l' as const] : []), 'r', 'r', 'r', 'r', 'r', 'l'],
    ),
  ];
}

export function adaptiveLines(m: Manifest): string[] {
  const a = m.method.adaptive;
  if (!a) return [];
  const extra = a.rounds.length;
  const out = [
    '',
    `**Adaptive sampling.** Every cell started with K = ${a.initialSamples} windows; after those, rounds went only to the cells whose pairs were still undecided, until every pair of a cell was decided or its resolution reached ${a.targetResolutionPct} %, at most ${a.maxSamples} windows a cell, within a budget of ${Math.round(a.budgetS)} s. Spent ${Math.round(a.spentS)} s (${Math.round((100 * a.spentS) / a.budgetS)} % of the budget); ${extra} extra round${extra === 1 ? '' : 's'}${extra ? ':' : '.'}`,
  ];
  if (extra) {
    out.push('');
    for (const r of a.rounds) {
      out.push(
        `- round ${r.round} (${r.cells.length} cell${r.cells.length === 1 ? '' : 's'}): ${r.why.length ? r.why.join('; ') : 'no reason recorded'}`,
      );
    }
  }
  out.push(
    '',
    a.stopped ? `Stopped: ${a.stopped}.` : 'No stop recorded (the set was still running).',
  );
  return out;
}

export function rerunLines(m: Manifest): string[] {
  const reruns = m.method.reruns ?? [];
  if (reruns.length === 0) return [];
  return [
    '',
    `**Re-run windows** (${reruns.length}): the host disturbed them, so each was measured again in its round; both are in the stack's file, only the re-run counts.`,
    '',
    ...reruns.map(
      (r) => `- round ${r.round}, ${r.stack}: window ${r.seq} → ${r.replacedBy} (${r.reason})`,
    ),
  ];
}
