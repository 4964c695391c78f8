/**
 * Runs one bench cycle: computes the absolute schedule (ramp-up, warm-up, measured window),
 * hands each thread its shard of the users, reports progress once a second from the shared live
 * counters, and merges the shards. Returns null when aborted (the partial cycle is dropped).
 */
import { performance } from 'node:perf_hooks';
import type { Piscina } from 'piscina';
import type { EngineName } from './engines/engine.js';
import { mergeShards } from './merge.js';
import type { CycleProgress, CycleResult, LoadOptions } from './result.js';
import { runShard } from './shard.js';
import {
  CONTROL_ABORT,
  CONTROL_READY,
  completedSlot,
  controlSlots,
  failedSlot,
  type PhaseTimes,
  phaseTimes,
  type ShardResult,
  type ShardSpec,
} from './shard-types.js';
import type { Target } from './target.js';

export interface CycleContext {
  options: LoadOptions;
  engine: EngineName;
  target: Target;
  /** Null: run in this thread. */
  pool: Piscina | null;
  signal: AbortSignal | undefined;
  onProgress: ((p: CycleProgress) => void) | undefined;
}

/** Between "every shard is ready" and the first user's start, ms. */
const LEAD_MS = 20;
/** How often the runner looks for the shards' ready count, ms. */
const READY_POLL_MS = 2;

const nowAbs = () => performance.timeOrigin + performance.now();

/** Resolves once `count` shards are ready (or one of them has already ended, e.g. failed). */
function allReady(flags: Int32Array, count: number, ended: Promise<unknown>): Promise<void> {
  return new Promise((resolve) => {
    let over = false;
    ended.then(
      () => (over = true),
      () => (over = true),
    );
    const poll = setInterval(() => {
      if (over || Atomics.load(flags, CONTROL_READY) >= count) {
        clearInterval(poll);
        resolve();
      }
    }, READY_POLL_MS);
  });
}

export async function runCycle(
  ctx: CycleContext,
  cycleIndex: number,
  users: number,
): Promise<CycleResult | null> {
  const { options } = ctx;
  const shardCount = ctx.pool ? Math.min(options.threads, users) : 1;
  const control = new SharedArrayBuffer(controlSlots(shardCount) * 4);
  const schedule = new SharedArrayBuffer(8);
  const flags = new Int32Array(control);
  const specs: ShardSpec[] = Array.from({ length: shardCount }, (_, shard) => ({
    engine: ctx.engine,
    target: ctx.target,
    shard,
    userIndices: Array.from({ length: users }, (_, i) => i).filter((i) => i % shardCount === shard),
    users,
    startupDelayMs: options.startupDelayS * 1000,
    warmupMs: options.warmupS * 1000,
    durationMs: options.durationS * 1000,
    control,
    schedule,
  }));

  const abort = () => Atomics.store(flags, CONTROL_ABORT, 1);
  ctx.signal?.addEventListener('abort', abort, { once: true });
  if (ctx.signal?.aborted) abort();

  let progress: NodeJS.Timeout | undefined;
  try {
    const running = Promise.all(
      specs.map((spec) =>
        ctx.pool ? (ctx.pool.run(spec) as Promise<ShardResult>) : runShard(spec),
      ),
    );
    await allReady(flags, shardCount, running);
    const times = phaseTimes(nowAbs() + LEAD_MS, specs[0]!);
    new Float64Array(schedule)[0] = times.startAtMs;
    progress = setInterval(
      progressReporter(ctx, flags, shardCount, cycleIndex, users, times),
      1000,
    );
    const shards = await running;
    if (shards.some((s) => s.aborted)) return null;
    return mergeShards(users, times.measureStartMs, shardCount, shards, ctx.engine);
  } finally {
    clearInterval(progress);
    ctx.signal?.removeEventListener('abort', abort);
  }
}

/** A once-a-second callback that reads the shards' live counters and reports progress. */
function progressReporter(
  ctx: CycleContext,
  flags: Int32Array,
  shardCount: number,
  cycleIndex: number,
  users: number,
  times: PhaseTimes,
): () => void {
  let lastCompleted = 0;
  return () => {
    let completed = 0;
    let failures = 0;
    for (let s = 0; s < shardCount; s++) {
      completed += Atomics.load(flags, completedSlot(s));
      failures += Atomics.load(flags, failedSlot(s));
    }
    const now = nowAbs();
    const [phase, from, to] =
      now < times.rampEndMs
        ? (['ramp-up', times.startAtMs, times.rampEndMs] as const)
        : now < times.measureStartMs
          ? (['warm-up', times.rampEndMs, times.measureStartMs] as const)
          : (['measure', times.measureStartMs, times.measureEndMs] as const);
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
  };
}
