/**
 * The order of a set's sample windows, from a recorded seed. Interleaved: K rounds, each with
 * every stack and every CUs level once, shuffled (block randomisation: drift during the set
 * falls on every cell alike). Sequential: one round per stack (stacks in a shuffled order),
 * holding its K × levels windows shuffled. The same seed, stacks and levels give the same plan.
 */

import type { ConnectionMode } from '@stackbench/report';
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import type { RandomGenerator } from 'pure-rand/types/RandomGenerator';

export interface PlannedWindow {
  stack: string;
  connection: ConnectionMode;
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
  samples: number;
  interleave: boolean;
  seed: number;
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

export function planSchedule(input: ScheduleInput): PlannedRound[] {
  const rng = xoroshiro128plus(input.seed);
  const cells = (stacks: readonly string[]) =>
    stacks.flatMap((stack) =>
      (input.connections ?? ['keep-alive']).flatMap((connection) =>
        input.levels.map((level) => ({ stack, connection, level })),
      ),
    );
  if (input.interleave) {
    return Array.from({ length: input.samples }, (_, i) => ({
      round: i + 1,
      stacks: [...input.stacks],
      windows: shuffle(rng, cells(input.stacks)),
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
): PlannedRound {
  const rng = xoroshiro128plus((seed ^ Math.imul(round, 0x9e3779b1)) | 0);
  const stacks = [...new Set(cells.map((c) => c.stack))];
  return { round, stacks, windows: shuffle(rng, cells) };
}
