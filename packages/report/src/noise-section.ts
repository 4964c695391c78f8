/**
 * `## The host during the windows`: per cell (stack × mode × level), the median over its windows
 * of what the host's CPU went to while they were measured — stolen by the hypervisor, used by
 * foreign processes, by the load driver, by the stack — and the run queue, with how many windows
 * the host disturbed and how many were re-run. Omitted for sets whose windows did not record it.
 */

import type { DisturbanceSettings, WindowNoise } from '@stackbench/result';
import { median } from 'simple-statistics';
import { type Axis, levelLabel } from './axis.js';
import type { Cell } from './cells.js';
import { compareGroups, groupHeader, groupLabel, namesWorkloads, severalGroups } from './group.js';
import { table } from './markdown-table.js';

/** Disturbed cells listed by name under the table, at most. */
const LISTED = 12;

const pct = (v: number) => v.toFixed(1);

function medianOf(noise: WindowNoise[], pick: (n: WindowNoise) => number): number {
  return median(noise.map(pick));
}

function thresholds(d: DisturbanceSettings | undefined): string {
  if (!d) return 'as the set recorded it';
  return `when the hypervisor stole more than ${d.stealPct} % of the host's CPU or foreign processes used more than ${d.foreignPct} %${d.rerun ? '; such a window was run again once' : ''}`;
}

/** `a at 80 CUs: steal 12 % > 5 % (2 windows)`, per disturbed cell. */
function reasons(cells: Cell[], axis: Axis, several: boolean, withWorkload: boolean): string[] {
  return cells
    .filter((c) => c.disturbedWindows > 0)
    .map((c) => {
      const counts = new Map<string, number>();
      for (const n of c.noise)
        for (const why of n.disturbed) counts.set(why, (counts.get(why) ?? 0) + 1);
      const list = [...counts].map(([why, k]) => `${why}${k > 1 ? ` (${k} windows)` : ''}`);
      return `${c.stack}${several ? ` · ${groupLabel(c, withWorkload)}` : ''} at ${levelLabel(axis, c.level)}: ${list.join('; ')}`;
    });
}

export function noiseSection(
  cells: Cell[],
  stacks: readonly string[],
  axis: Axis,
  disturbance: DisturbanceSettings | undefined,
): string[] {
  const measured = cells
    .filter((c) => c.noise.length > 0)
    .sort(
      (a, b) =>
        compareGroups(a, b) ||
        a.level - b.level ||
        stacks.indexOf(a.stack) - stacks.indexOf(b.stack),
    );
  if (measured.length === 0) return [];
  const several = severalGroups(measured);
  const withWorkload = namesWorkloads(measured);
  const rows = measured.map((c) => [
    c.stack,
    ...(several ? [groupLabel(c, withWorkload)] : []),
    String(c.level),
    pct(medianOf(c.noise, (n) => n.stealPct)),
    pct(medianOf(c.noise, (n) => n.foreignCpuPct)),
    pct(medianOf(c.noise, (n) => n.driverCpuPct)),
    pct(medianOf(c.noise, (n) => n.stackCpuPct)),
    `${medianOf(c.noise, (n) => n.runQueue).toFixed(1)} (max ${Math.max(...c.noise.map((n) => n.runQueueMax))})`,
    `${c.disturbedWindows} of ${c.windows}`,
    String(c.replacedWindows),
  ]);
  const out = [
    '## The host during the windows',
    '',
    `Per cell, the median over its windows of where the host's CPU went while they were measured, in % of all its CPU time (every core: 100 %): stolen by the hypervisor, used by foreign processes (neither the stack nor the load driver), by the driver and by the stack; the run queue is the mean number of runnable tasks over a window (max: the most any reading saw). A window counts as **disturbed** ${thresholds(disturbance)}. Re-run: disturbed windows measured again — kept in the stack's file, not counted in the statistics; the cell's K counts their re-runs.`,
    '',
    table(
      [
        'stack',
        ...(several ? [groupHeader(withWorkload)] : []),
        axis.unit,
        'steal %',
        'foreign CPU %',
        'driver CPU %',
        'stack CPU %',
        'run queue',
        'disturbed',
        're-run',
      ],
      rows,
      ['l', ...(several ? ['l' as const] : []), 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r'],
    ),
  ];
  const listed = reasons(measured, axis, several, withWorkload);
  if (listed.length) {
    const more = listed.length > LISTED ? `; and ${listed.length - LISTED} more cells` : '';
    out.push('', `Disturbed: ${listed.slice(0, LISTED).join('. ')}${more}.`);
  } else {
    out.push('', 'No window was disturbed.');
  }
  return out;
}
