/**
 * Runs one bench cycle: computes the absolute schedule (ramp-up, warm-up, measured window),
 * hands each thread its shard of the users (or, in an open loop, of the rate and the pool), reports progress once a second from the shared live
 * counters, and merges the shards. With an adaptive window (closed loop) the window is published
 * only after the warm-up, once `adaptive-warmup.ts` has sized it. Returns null when aborted (the
 * partial cycle is dropped).
 */
import { performance } from 'node:perf_hooks';
import type { Piscina } from 'piscina';
import { type SizedWindow, sizeAdaptiveWindow } from './adaptive-warmup.js';
import type { EngineName } from './engines/engine-name.js';
import { type AnyLoadOptions, isOpenLoop } from './load-options.js';
import { mergeShards } from './merge.js';
import type { OpenLoopCycleSpec } from './merge-parts.js';
import { DEFAULT_OPEN_LOOP_OPTIONS, openLoopLimit } from './open-loop/defaults.js';
import type { CycleProgress, CycleResult } from './result.js';
import { runShard } from './shard.js';
import {
  CONTROL_ABORT,
  CONTROL_READY,
  CONTROL_WINDOW,
  completedSlot,
  controlSlots,
  failedSlot,
  type PhaseTimes,
  phaseTimes,
  SCHEDULE_SLOTS,
  SCHEDULE_START,
  SCHEDULE_WINDOW_END,
  SCHEDULE_WINDOW_START,
  type ShardResult,
  type ShardSpec,
} from './shard-types.js';
import { openLoopParts, splitRate, splitUsers } from './split.js';
import type { Target } from './target.js';

export interface CycleContext {
  options: AnyLoadOptions;
  engine: EngineName;
  target: Target;
  /** Null: run in this thread. */
  pool: Piscina | null;
  signal: AbortSignal | undefined;
  onProgress: ((p: CycleProgress) => void) | undefined;
  /** The measured window, once it is known (absolute ms since the epoch). */
  onWindow?: ((w: { startMs: number; endMs: number }) => void) | undefined;
}

/**
 * Between "every shard is ready" and the first user's start, and between an adaptive window's
 * decision and its start, ms: shards poll every 2 ms.
 */
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

/** One cycle's shards: users round-robin, or the rate and the pool of an open loop. */
function shardSpecs(
  ctx: CycleContext,
  load: number,
  control: SharedArrayBuffer,
  schedule: SharedArrayBuffer,
): { specs: ShardSpec[]; users: number; openLoop: OpenLoopCycleSpec | undefined } {
  const { options } = ctx;
  const base = {
    engine: ctx.engine,
    target: ctx.target,
    warmupMs: options.warmupS * 1000,
    durationMs: options.durationS * 1000,
    control,
    schedule,
  };
  if (!isOpenLoop(options)) {
    const users = load;
    const shardCount = ctx.pool ? Math.min(options.threads, users) : 1;
    const adaptive = options.adaptive
      ? { maxDurationMs: options.adaptive.maxDurationS * 1000 }
      : {};
    // round-robin, so that the ramp-up's order is global: shard s has users s, s + shards, …
    const specs = splitUsers(users, shardCount).map((count, shard) => ({
      ...base,
      ...adaptive,
      shard,
      userIndices: Array.from({ length: count }, (_, k) => shard + k * shardCount),
      users,
      startupDelayMs: options.startupDelayS * 1000,
    }));
    return { specs, users, openLoop: undefined };
  }
  const openLoop: OpenLoopCycleSpec = {
    arrivals: options.arrivals ?? DEFAULT_OPEN_LOOP_OPTIONS.arrivals,
    offeredRps: load,
    connections: options.connections,
    maxConnections: openLoopLimit(options),
  };
  const shards = ctx.pool ? openLoopParts(options.connections, options.threads) : 1;
  const connections = splitUsers(openLoop.connections, shards);
  const limits = splitUsers(openLoop.maxConnections, shards);
  const specs = splitRate(load, shards, openLoop.arrivals).map((rate, shard) => ({
    ...base,
    shard,
    userIndices: [],
    users: 1,
    startupDelayMs: 0,
    openLoop: {
      arrivals: openLoop.arrivals,
      rate,
      connections: connections[shard] as number,
      maxConnections: limits[shard] as number,
    },
  }));
  return { specs, users: options.connections, openLoop };
}

/** Runs one cycle of `load` users, or requests/s in an open loop; null when aborted. */
export async function runCycle(
  ctx: CycleContext,
  cycleIndex: number,
  load: number,
): Promise<CycleResult | null> {
  const control = new SharedArrayBuffer(controlSlots(ctx.options.threads) * 4);
  const schedule = new SharedArrayBuffer(SCHEDULE_SLOTS * 8);
  const flags = new Int32Array(control);
  const { specs, users, openLoop } = shardSpecs(ctx, load, control, schedule);
  const shardCount = specs.length;
  const closedLoop = isOpenLoop(ctx.options) ? null : ctx.options;
  const adaptive = closedLoop?.adaptive;

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
    let over = false;
    running.then(
      () => (over = true),
      () => (over = true),
    );
    await allReady(flags, shardCount, running);
    const times = phaseTimes(nowAbs() + LEAD_MS, specs[0]!);
    const view: CycleView = { times, window: null, warmupBoundMs: times.measureStartMs };
    const slots = new Float64Array(schedule);
    // The window before the start time: a shard that sees the start sees a fixed window too.
    const publishWindow = (startMs: number, endMs: number) => {
      slots[SCHEDULE_WINDOW_START] = startMs;
      slots[SCHEDULE_WINDOW_END] = endMs;
      Atomics.store(flags, CONTROL_WINDOW, 1);
      view.window = { startMs, endMs };
      ctx.onWindow?.({ startMs, endMs });
    };
    if (adaptive) view.warmupBoundMs = times.rampEndMs + adaptive.maxWarmupS * 1000;
    else publishWindow(times.measureStartMs, times.measureEndMs);
    slots[SCHEDULE_START] = times.startAtMs;
    progress = setInterval(
      progressReporter(ctx, flags, shardCount, cycleIndex, users, view, openLoop?.offeredRps),
      1000,
    );
    let sized: SizedWindow | null = null;
    if (adaptive && closedLoop) {
      sized = await sizeAdaptiveWindow({
        adaptive,
        warmupS: closedLoop.warmupS,
        durationS: closedLoop.durationS,
        users,
        thinkS: closedLoop.sleepTimeS,
        rampEndMs: times.rampEndMs,
        leadMs: LEAD_MS,
        flags,
        shardCount,
        over: () => over || Atomics.load(flags, CONTROL_ABORT) !== 0,
      });
      if (sized) publishWindow(sized.startMs, sized.endMs);
    }
    const shards = await running;
    if (shards.some((s) => s.aborted)) return null;
    return mergeShards(
      users,
      view.window?.startMs ?? times.measureStartMs,
      shardCount,
      shards,
      ctx.engine,
      openLoop,
      sized?.record,
    );
  } finally {
    clearInterval(progress);
    ctx.signal?.removeEventListener('abort', abort);
  }
}

/** What progress reports go by: the phases, and the window once it is published. */
interface CycleView {
  times: PhaseTimes;
  /** Absolute ms; null during an adaptive warm-up. */
  window: { startMs: number; endMs: number } | null;
  /** An adaptive warm-up ends by this time at the latest (absolute ms). */
  warmupBoundMs: number;
}

/** A once-a-second callback that reads the shards' live counters and reports progress. */
function progressReporter(
  ctx: CycleContext,
  flags: Int32Array,
  shardCount: number,
  cycleIndex: number,
  users: number,
  view: CycleView,
  offeredRps: number | undefined,
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
    const { times, window } = view;
    const [phase, from, to] =
      now < times.rampEndMs
        ? (['ramp-up', times.startAtMs, times.rampEndMs] as const)
        : window === null || now < window.startMs
          ? (['warm-up', times.rampEndMs, window?.startMs ?? view.warmupBoundMs] as const)
          : (['measure', window.startMs, window.endMs] as const);
    ctx.onProgress?.({
      users,
      ...(offeredRps === undefined ? {} : { offeredRps }),
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
