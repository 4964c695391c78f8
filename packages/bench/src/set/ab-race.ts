/**
 * Adaptive rounds of an A/B set: the race is over each stack's head against its base, judged
 * by the verdict itself (report's abVerdict: one family over the set's comparisons), so a round
 * goes to a stack while any of its comparisons at a cell is undecided, its RPS interval is wider
 * than the profile's target and it has fewer than `max_samples` rounds; the cells whose
 * comparisons can still settle go first (adaptive-plan.ts, byPromise, from each open stack's RPS
 * effect). Pure, like adaptive-plan.ts, so `--resume` decides the same way.
 */
import { abName, abVerdict, LEAD_METRIC } from '@stackbench/report';
import type { AdaptiveSettings, StackResult } from '@stackbench/result';
import { byPromise, type OpenCell, windowsToSettle } from './adaptive-plan.js';

export function abOpenCells(
  results: readonly StackResult[],
  measured: ReadonlySet<string>,
  adaptive: Pick<AdaptiveSettings, 'targetResolutionPct' | 'maxSamples'>,
): OpenCell[] {
  const verdict = abVerdict(results.filter((r) => measured.has(r.stack.name)));
  const out: OpenCell[] = [];
  for (const cell of verdict.cells) {
    const here = verdict.effects.filter(
      (e) =>
        e.workload === cell.workload && e.connection === cell.connection && e.level === cell.level,
    );
    const stacks = [...new Set(here.map((e) => e.stack))];
    const open = stacks.filter((stack) => {
      const mine = here.filter((e) => e.stack === stack);
      const rps = mine.find((e) => e.metric === LEAD_METRIC);
      return (
        mine.some((e) => e.verdict === '~') &&
        !(rps && rps.effect.resolutionPct <= adaptive.targetResolutionPct) &&
        Math.min(...mine.map((e) => e.effect.n)) < adaptive.maxSamples
      );
    });
    if (open.length === 0) continue;
    out.push({
      workload: cell.workload,
      connection: cell.connection,
      level: cell.level,
      stacks: open.flatMap((s) => [abName(s, 'base'), abName(s, 'head')]),
      unsettled: open.length,
      pairs: stacks.length,
      resolutionPct: cell.resolutionPct,
      windows: cell.rounds,
      windowsToSettle: Math.max(
        ...open.map((stack) => {
          const rps = here.find((e) => e.stack === stack && e.metric === LEAD_METRIC);
          return rps
            ? windowsToSettle(
                rps.effect.resolutionPct,
                rps.effect.ratio,
                rps.effect.n,
                adaptive.targetResolutionPct,
              )
            : Number.POSITIVE_INFINITY;
        }),
      ),
    });
  }
  return byPromise(out, adaptive.maxSamples);
}
