/**
 * The adaptive warm-up, in the cycle runner (main thread): from the end of ramp-up it reads the
 * shards' live counters every tick, applies the steady-state rule (`window-sizing.ts`) once the
 * minimum warm-up has passed, and at steady state (or at the warm-up's bound) sizes the measured
 * window and returns it, to be published a short lead ahead so every shard opens it at once.
 */
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { completedSlot, respondedSlot } from './shard-types.js';
import { planWindow, SteadyStateRule } from './window-sizing.js';
import type { AdaptiveWindowOptions, CycleWindow } from './window-types.js';

/** How often the counters are read, ms: a few per shortest block (0.2 s). */
export const TICK_MS = 50;

const nowAbs = () => performance.timeOrigin + performance.now();
const round = (value: number, digits: number) => Math.round(value * 10 ** digits) / 10 ** digits;

export interface AdaptiveWarmup {
  adaptive: AdaptiveWindowOptions;
  /** The minimum warm-up and the minimum measured part, seconds. */
  warmupS: number;
  durationS: number;
  users: number;
  thinkS: number;
  /** Absolute ms: the last user's start (the warm-up begins). */
  rampEndMs: number;
  /** The lead between the decision and the window's start, ms. */
  leadMs: number;
  flags: Int32Array;
  shardCount: number;
  /** True once the shards have ended (aborted or failed): stop watching. */
  over: () => boolean;
}

export interface SizedWindow {
  /** Absolute ms. */
  startMs: number;
  endMs: number;
  record: CycleWindow;
}

/** Watches the warm-up and sizes the window; null when the shards ended first. */
export async function sizeAdaptiveWindow(w: AdaptiveWarmup): Promise<SizedWindow | null> {
  const rule = new SteadyStateRule(w.users, w.thinkS);
  const minStartMs = w.rampEndMs + w.warmupS * 1000;
  const maxStartMs = w.rampEndMs + w.adaptive.maxWarmupS * 1000;
  const sum = (slot: (shard: number) => number) => {
    let n = 0;
    for (let s = 0; s < w.shardCount; s++) n += Atomics.load(w.flags, slot(s));
    return n;
  };
  for (;;) {
    if (w.over()) return null;
    const now = nowAbs();
    if (now >= w.rampEndMs) {
      rule.add({ atMs: now, completed: sum(completedSlot), responded: sum(respondedSlot) });
    }
    const startMs = now + w.leadMs;
    if (startMs >= minStartMs) {
      const blocks = rule.check();
      if (blocks?.steady) {
        return sized(w, startMs, true, { blockS: blocks.blockS, rps: blocks.n2 / blocks.blockS });
      }
    }
    if (startMs >= maxStartMs) {
      return sized(w, Math.max(startMs, maxStartMs), false, rule.lastBlock());
    }
    // The first reading at the end of ramp-up, the last one a lead before the bound.
    const next = Math.min(
      now + TICK_MS,
      now < w.rampEndMs ? w.rampEndMs : Number.POSITIVE_INFINITY,
      maxStartMs - w.leadMs,
    );
    await sleep(Math.max(0, next - nowAbs()));
  }
}

function sized(
  w: AdaptiveWarmup,
  startMs: number,
  steady: boolean,
  block: { blockS: number; rps: number },
): SizedWindow {
  const plan = planWindow(w.adaptive, w.durationS, w.users, w.thinkS, block);
  return {
    startMs,
    endMs: startMs + plan.plannedS * 1000,
    record: {
      warmupS: round((startMs - w.rampEndMs) / 1000, 3),
      steady,
      warmupRps: round(block.rps, 2),
      responseTimeMs: round(plan.responseS * 1000, 2),
      plannedS: plan.plannedS,
      sizedBy: plan.sizedBy,
    },
  };
}
