/**
 * The order of a set's sample windows, from a recorded seed. Interleaved: K rounds, each with
 * every stack and every CUs level once, shuffled (block randomisation: drift during the set
 * falls on every cell alike), the round's stacks started in a shuffled order too (start order is
 * not neutral). Sequential: one round per stack (stacks in a shuffled order),
 * holding its K × levels windows shuffled. The same seed, stacks and levels give the same plan.
 * An A/B set (`bench:ab`) couples each stack's base and head: their windows of a cell run one
 * right after the other, base first in every other couple of a round, so drift within a round
 * falls on both sides alike.
 */

import type { ConnectionMode, WorkloadName } from '@stackbench/result';
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import type { RandomGenerator } from 'pure-rand/types/RandomGenerator';

export interface PlannedWindow {
  stack: string;
  connection: ConnectionMode;
  /** The work its requests ask for (seed: the seed's app). */
  workload: WorkloadName;
  /** CUs, or the offered load of an open-loop profile. */
  level: number;
}

export interface PlannedRound {
  /** 1-based. */
  round: number;
  /** Stacks started for this round, in start order. */
  stacks: string[];
  windows: PlannedWindow[];
}

export interface ScheduleInput {
  stacks: readonly string[];
  /** The profile's levels (CUs, rates or fractions of capacity). */
  levels: readonly number[];
  /** Connection modes, each its own cells (default: keep-alive). */
  connections?: readonly ConnectionMode[];
  /** Workloads, each its own cells (default: seed). */
  workloads?: readonly WorkloadName[];
  /** A workload's own levels instead of `levels` (`workload_cycles`). */
  workloadLevels?: Partial<Record<WorkloadName, readonly number[]>>;
  samples: number;
  interleave: boolean;
  seed: number;
  /** A/B: [base, head] names whose windows of a cell run back to back (interleaved sets only). */
  couples?: readonly (readonly [string, string])[];
}

/** Fisher–Yates with the seeded generator. */
function shuffle<T>(rng: RandomGenerator, items: readonly T[]): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = uniformInt(rng, 0, i);
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

/**
 * The windows of a round in a shuffled order; a coupled stack's cell is drawn once and placed
 * as its pair of windows, base first in every other couple (which one starts is drawn too).
 */
function shuffleRound(
  rng: RandomGenerator,
  windows: readonly PlannedWindow[],
  couples: readonly (readonly [string, string])[],
): PlannedWindow[] {
  const headOf = new Map(couples.map(([base, head]) => [base, head]));
  const baseOf = new Map(couples.map(([base, head]) => [head, base]));
  const has = (stack: string | undefined, w: PlannedWindow) =>
    stack !== undefined && windows.some((o) => o.stack === stack && sameCell(o, w));
  // a head window rides with its base's when the base runs that cell in this round
  const drawn = shuffle(
    rng,
    windows.filter((w) => !has(baseOf.get(w.stack), w)),
  );
  let baseFirst = uniformInt(rng, 0, 1) === 0;
  return drawn.flatMap((w) => {
    const head = headOf.get(w.stack);
    if (!head || !has(head, w)) return [w];
    const couple = baseFirst ? [w, { ...w, stack: head }] : [{ ...w, stack: head }, w];
    baseFirst = !baseFirst;
    return couple;
  });
}

/**
 * A round's start order, shuffled per round from the seed (a stream of its own, so the windows'
 * order for a seed is what it was): a stack started later finds the others' processes placed on
 * the cores, and on 2 cores that alone gave supervisor-node a Jain index of 0.62 instead of 0.83
 * over its workers' connections and 30 % less RPS. In an A/B set each couple's sides also take
 * turns: base first in every other round (which rounds, from the seed).
 */
function startOrder(
  stacks: readonly string[],
  round: number,
  seed: number,
  couples?: readonly (readonly [string, string])[],
): string[] {
  const out = shuffle(
    xoroshiro128plus((seed ^ Math.imul(round, 0x85ebca6b) ^ 0x5bd1e995) | 0),
    stacks,
  );
  const baseFirst = baseStartsFirst(round, seed);
  for (const [base, head] of couples ?? []) {
    const b = out.indexOf(base);
    const h = out.indexOf(head);
    if (b >= 0 && h >= 0 && b < h !== baseFirst) [out[b], out[h]] = [head, base];
  }
  return out;
}

/** An A/B couple's base starts first in the rounds where round + seed is even. */
export const baseStartsFirst = (round: number, seed: number) => (round + seed) % 2 === 0;

const sameCell = (x: PlannedWindow, y: PlannedWindow) =>
  x.connection === y.connection && x.workload === y.workload && x.level === y.level;

export function planSchedule(input: ScheduleInput): PlannedRound[] {
  const rng = xoroshiro128plus(input.seed);
  const cells = (stacks: readonly string[]) =>
    stacks.flatMap((stack) =>
      (input.workloads ?? ['seed']).flatMap((workload) =>
        (input.connections ?? ['keep-alive']).flatMap((connection) =>
          (input.workloadLevels?.[workload] ?? input.levels).map((level) => ({
            stack,
            connection,
            workload,
            level,
          })),
        ),
      ),
    );
  if (input.interleave) {
    return Array.from({ length: input.samples }, (_, i) => ({
      round: i + 1,
      stacks: startOrder(input.stacks, i + 1, input.seed, input.couples),
      windows: input.couples
        ? shuffleRound(rng, cells(input.stacks), input.couples)
        : shuffle(rng, cells(input.stacks)),
    }));
  }
  return shuffle(rng, input.stacks).map((stack, i) => ({
    round: i + 1,
    stacks: [stack],
    windows: shuffle(rng, Array.from({ length: input.samples }, () => cells([stack])).flat()),
  }));
}

/** A seed for a new set: any 31-bit integer, recorded in the manifest. */
export function newSeed(): number {
  return Math.floor(Math.random() * 2 ** 31);
}

/**
 * An adaptive round after the first K: the chosen cells shuffled with a generator of its own,
 * seeded from the set's seed and the round number, so a resumed set shuffles it the same way.
 */
export function planExtraRound(
  round: number,
  cells: readonly PlannedWindow[],
  seed: number,
  couples?: readonly (readonly [string, string])[],
): PlannedRound {
  const rng = xoroshiro128plus((seed ^ Math.imul(round, 0x9e3779b1)) | 0);
  const stacks = [...new Set(cells.map((c) => c.stack))];
  return {
    round,
    stacks: startOrder(stacks, round, seed, couples),
    windows: couples ? shuffleRound(rng, cells, couples) : shuffle(rng, cells),
  };
}
