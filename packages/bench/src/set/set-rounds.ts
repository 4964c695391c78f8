/**
 * The rounds of a set as they run: one planned round (its stacks started, its windows measured,
 * each stack's run written as soon as the round ends), and, with adaptive sampling, the rounds
 * after the first K, each planned from the data so far (adaptive-plan.ts) until every cell is
 * settled or the budget is spent. An interrupted round is discarded; `--resume` runs it again.
 */
import { axisOf, levelLabel } from '@stackbench/report';
import {
  type Manifest,
  type ManifestStack,
  type ProfileSettings,
  STACK_RESULT_SCHEMA,
  type StackResult,
  type StackRun,
} from '@stackbench/result';
import { DriverError } from '../errors.js';
import type { RunContext } from '../session/stack-session.js';
import { plannedWarmupS } from '../session/stack-warmup.js';
import type { StackDefinition } from '../stack/stack-def.js';
import { abOpenCells } from './ab-race.js';
import { abCouples } from './ab-units.js';
import { nextRound, openCells, whyLine, windowSeconds } from './adaptive-plan.js';
import { roundNeedLine } from './driver-headroom.js';
import { writeStackResult } from './result-set.js';
import { type RoundRecord, runRound } from './round.js';
import { type PlannedRound, planExtraRound } from './schedule.js';

export interface SetRounds {
  dir: string;
  manifest: Manifest;
  ctx: RunContext;
  results: Map<string, StackResult>;
  entries: Map<string, ManifestStack>;
  byName: Map<string, StackDefinition>;
  /** Windows run so far in this process (progress position). */
  position: number;
  save: () => void;
  /** Rounds the progress line counts to (grows with adaptive rounds). */
  totalRounds: number;
}

/** Rounds a stack takes part in before it is complete: the first K when interleaved, else one. */
const roundsPerStack = (m: Manifest) => (m.method.interleave ? m.method.samples : 1);

/** A finished round's run of one stack: into its file at once, and its manifest entry's status. */
function recordRun(
  set: SetRounds,
  session: { stack: StackDefinition; run: StackRun },
  entry: ManifestStack,
): void {
  const { stack, run } = session;
  const result: StackResult = set.results.get(stack.name) ?? {
    schema: STACK_RESULT_SCHEMA,
    stack: {
      name: stack.name,
      title: stack.title,
      description: stack.description,
      reference: stack.reference,
      runtime: entry.runtime ?? null,
    },
    runs: [],
  };
  result.runs = [...result.runs, run].sort((a, b) => a.round - b.round);
  set.results.set(stack.name, result);
  writeStackResult(set.dir, result);
  if (run.status === 'failed') {
    entry.status = 'failed';
    entry.reason = run.error;
  } else if (result.runs.length >= roundsPerStack(set.manifest) && entry.status === 'pending') {
    entry.status = 'complete';
  }
}

/** Runs one round; false when it was interrupted (then nothing of it is kept). */
export async function runSetRound(set: SetRounds, round: PlannedRound): Promise<boolean> {
  const { manifest, ctx } = set;
  const live = (name: string) => {
    const status = set.entries.get(name)?.status;
    return status === 'pending' || status === 'complete';
  };
  const defs = round.stacks
    .filter((name) => live(name))
    .map((name) => set.byName.get(name) as StackDefinition);
  if (defs.length === 0) return true;
  ctx.progress.roundStart(round.round, Math.max(set.totalRounds, round.round), round.stacks);
  const counted = round.windows.filter((w) => round.stacks.includes(w.stack)).length;
  const t0 = performance.now();
  let record: RoundRecord;
  try {
    record = await runRound(round, defs, ctx, manifest.method.order.length, set.position);
  } catch (error) {
    // a driver host that failed ends the set (its stacks are stopped); the set can resume
    if (!(error instanceof DriverError)) throw error;
    throw new DriverError(
      error.driver,
      `${error.detail}; the finished rounds are kept: --resume ${set.dir}`,
    );
  }
  set.position += counted;
  // an interrupted round is not kept (also one whose signal came while its stacks stopped):
  // --resume runs it again
  if (record.interrupted || ctx.signal.aborted) return false;
  manifest.method.order.push(...record.order);
  if (record.reruns.length) {
    manifest.method.reruns = [...(manifest.method.reruns ?? []), ...record.reruns];
  }
  if (record.driver) manifest.driver ??= record.driver;
  const { sessions } = record;
  for (const session of sessions) {
    recordRun(set, session, set.entries.get(session.stack.name) as ManifestStack);
    ctx.progress.stackEnd(
      session.stack.name,
      session.run.status === 'complete'
        ? `round ${round.round} done`
        : `FAILED: ${session.run.error}`,
    );
  }
  if (manifest.method.adaptive) manifest.method.adaptive.spentS += (performance.now() - t0) / 1000;
  set.save();
  const need = round.round === 1 ? roundNeedLine(manifest, set.results.values(), 1) : null;
  if (need) ctx.progress.note(need);
  return true;
}

/** Seconds to start and stop one stack. */
const PER_STACK_S = 2.5;

/** A stack's warm-up, seconds: the median of its runs so far, or the profile's first guess. */
function warmupSeconds(results: readonly StackResult[], s: ProfileSettings): number {
  const ms = results
    .flatMap((r) => r.runs.map((run) => run.lifecycle.warmupMs))
    .filter((v): v is number => v !== null)
    .sort((a, b) => a - b);
  return ms.length ? (ms[Math.floor(ms.length / 2)] ?? 0) / 1000 : plannedWarmupS(s);
}

/**
 * The rounds after the first K: each runs the cells still racing that fit in the budget left;
 * they stop when every cell is settled, the next round does not fit, or max_samples is reached.
 */
export async function runAdaptiveRounds(set: SetRounds): Promise<void> {
  const { manifest, ctx } = set;
  const record = manifest.method.adaptive;
  if (!record || record.stopped !== null) return;
  const s = ctx.settings;
  const axis = axisOf(s);
  const fallback = s.cycleWarmupS + s.durationS + s.pauseS + 0.5;
  let round = Math.max(
    manifest.method.samples,
    ...[...set.results.values()].flatMap((r) => r.runs.map((run) => run.round)),
  );
  while (!ctx.signal.aborted) {
    const results = [...set.results.values()];
    // a stack that failed in a round sits out the rest
    const measured = new Set(
      [...set.entries.values()].filter((e) => e.status === 'complete').map((e) => e.name),
    );
    const couples = manifest.ab ? abCouples(manifest.ab) : undefined;
    const open = couples
      ? abOpenCells(results, measured, record)
      : openCells(results, measured, record);
    if (open.length === 0) {
      record.stopped = `every cell settled: each pair decided, or its resolution ≤ ${record.targetResolutionPct} %, or ${record.maxSamples} windows`;
      break;
    }
    const left = record.budgetS - record.spentS;
    const perStack = PER_STACK_S + warmupSeconds(results, s);
    const next = nextRound(
      open,
      { window: (cell) => windowSeconds(results, cell, fallback, s.pauseS), perStack },
      left,
    );
    if (next.cells.length === 0) {
      record.stopped = `budget: ${Math.max(0, left).toFixed(0)} s of ${record.budgetS} s left, less than the next round needs (${open.length} cells still undecided)`;
      break;
    }
    round++;
    set.totalRounds = Math.max(set.totalRounds, round);
    const why = next.chosen.map((c) =>
      whyLine(c, levelLabel(axis, c.level), record.targetResolutionPct),
    );
    for (const line of why) ctx.progress.note(`round ${round}: ${line}`);
    const planned = planExtraRound(
      round,
      next.cells.map((c) => ({ ...c, workload: c.workload ?? 'seed' })),
      manifest.method.seed,
      couples,
    );
    if (!(await runSetRound(set, planned))) return;
    record.rounds.push({ round, cells: next.cells, why });
    set.save();
  }
}
