/**
 * Runs one bench cycle: computes the absolute schedule (ramp-up, warm-up, measured window),
 * hands each thread its shard of the users, reports progress once a second from the shared live
 * counters, and merges the shards. Returns null when aborted (the partial cycle is dropped).
 */
import { performance } from 'node:perf_hooks';
import type { Piscina } from 'piscina';
import { mergeShards } from './merge.js';
import type { CycleProgress, CycleResult, LoadOptions } from './result.js';
import { runShard } from './shard.js';
import {
  CONTROL_ABORT,
  completedSlot,
  controlSlots,
  failedSlot,
  type ShardResult,
  type ShardSpec,
} from './shard-types.js';
import type { Target } from './target.js';

export interface CycleContext {
  options: LoadOptions;
  target: Target;
  /** Null: run in this thread. */
  pool: Piscina | null;
  signal: AbortSignal | undefined;
  onProgress: ((p: CycleProgress) => void) | undefined;
}

/** Time given to threads to receive their task before the first user starts, ms. */
const LEAD_MS = { inline: 10, pool: 150 };

const nowAbs = () => performance.timeOrigin + performance.now();

export async function runCycle(
  ctx: CycleContext,
  cycleIndex: number,
  users: number,
): Promise<CycleResult | null> {
  const { options } = ctx;
  const shardCount = ctx.pool ? Math.min(options.threads, users) : 1;
  const control = new SharedArrayBuffer(controlSlots(shardCount) * 4);
  const flags = new Int32Array(control);
  const startAtMs = nowAbs() + (ctx.pool ? LEAD_MS.pool : LEAD_MS.inline);
  const startupDelayMs = options.startupDelayS * 1000;
  const rampEndMs = startAtMs + (users - 1) * startupDelayMs;
  const measureStartMs = rampEndMs + options.warmupS * 1000;
  const durationMs = options.durationS * 1000;
  const specs: ShardSpec[] = Array.from({ length: shardCount }, (_, shard) => ({
    target: ctx.target,
    shard,
    userIndices: Array.from({ length: users }, (_, i) => i).filter((i) => i % shardCount === shard),
    startAtMs,
    startupDelayMs,
    measureStartMs,
    durationMs,
    control,
  }));

  const abort = () => Atomics.store(flags, CONTROL_ABORT, 1);
  ctx.signal?.addEventListener('abort', abort, { once: true });
  if (ctx.signal?.aborted) abort();

  let lastCompleted = 0;
  const progress = setInterval(() => {
    let completed = 0;
    let failures = 0;
    for (let s = 0; s < shardCount; s++) {
      completed += Atomics.load(flags, completedSlot(s));
      failures += Atomics.load(flags, failedSlot(s));
    }
    const now = nowAbs();
    const [phase, from, to] =
      now < rampEndMs
        ? (['ramp-up', startAtMs, rampEndMs] as const)
        : now < measureStartMs
          ? (['warm-up', rampEndMs, measureStartMs] as const)
          : (['measure', measureStartMs, measureStartMs + durationMs] as const);
    ctx.onProgress?.({
      users,
      cycleIndex,
      phase,
      elapsedS: Math.max(0, (now - from) / 1000),
      remainingS: Math.max(0, (to - now) / 1000),
      currentRps: completed - lastCompleted,
      failures,
    });
    lastCompleted = completed;
  }, 1000);

  try {
    const shards: ShardResult[] = await Promise.all(
      specs.map((spec) =>
        ctx.pool ? (ctx.pool.run(spec) as Promise<ShardResult>) : runShard(spec),
      ),
    );
    if (shards.some((s) => s.aborted)) return null;
    return mergeShards(users, measureStartMs, shardCount, shards);
  } finally {
    clearInterval(progress);
    ctx.signal?.removeEventListener('abort', abort);
  }
}
