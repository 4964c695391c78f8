/**
 * The programmatic entry: validates the options once, runs the cycles (of users, or of rates in
 * an open loop) in order with their pauses, and returns the result document. An aborted `signal` stops the load at once and
 * resolves with the cycles completed so far, `complete: false`.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { Piscina } from 'piscina';
import { runCycle } from './cycle-runner.js';
import { engineName, loadEngine } from './engines/pick.js';
import { driverInfo, hostInfo } from './host.js';
import { type AnyLoadOptions, isOpenLoop, type LoadOptions } from './load-options.js';
import { DEFAULT_OPEN_LOOP_OPTIONS, openLoopLimit } from './open-loop/defaults.js';
import {
  type CycleProgress,
  type CycleResult,
  LOAD_RESULT_SCHEMA,
  type LoadResult,
} from './result.js';
import { buildTarget } from './target.js';
import { validateLoadOptions } from './validate.js';

export interface RunHooks {
  signal?: AbortSignal;
  onProgress?: (p: CycleProgress) => void;
  onCycle?: (c: CycleResult) => void;
  /**
   * Each cycle's measured window once it is known: at the start for a fixed window, when the
   * warm-up is steady for an adaptive one (absolute ms since the epoch, `performance.timeOrigin +
   * performance.now()`). Readings of the target's side (its CPU, connections) go by it.
   */
  onWindow?: (w: { cycleIndex: number; startMs: number; endMs: number }) => void;
}

/** Defaults of everything but `url` and `cycles` (the CLI shows the same). */
export const DEFAULT_LOAD_OPTIONS = {
  durationS: 10,
  warmupS: 0,
  startupDelayS: 0,
  cyclePauseS: 0,
  sleepTimeS: 0,
  connection: 'keep-alive',
  timeoutS: 10,
  expectStatus: 200,
  threads: 1,
  engine: 'native',
} as const satisfies Omit<LoadOptions, 'url' | 'cycles'>;

async function pause(seconds: number, signal: AbortSignal | undefined): Promise<void> {
  try {
    await sleep(seconds * 1000, undefined, signal ? { signal } : {});
  } catch {
    // Aborted: the caller checks the signal.
  }
}

/** Resolves when all `n` workers have started, so the first cycle's schedule holds for all. */
function poolReady(pool: Piscina, n: number): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const done = (error?: unknown) => {
      pool.off('workerCreate', check);
      pool.off('error', done);
      if (error === undefined) resolve();
      else reject(error);
    };
    const check = () => {
      if (pool.threads.length >= n) done();
    };
    pool.on('workerCreate', check);
    pool.on('error', done);
    check();
  });
}

/** The options as run, defaults filled in (the document echoes them). */
function asRun(options: AnyLoadOptions, engine: LoadResult['driver']['engine']): AnyLoadOptions {
  if (!isOpenLoop(options)) return { ...options, engine } as AnyLoadOptions;
  return {
    ...options,
    maxConnections: openLoopLimit(options),
    arrivals: options.arrivals ?? DEFAULT_OPEN_LOOP_OPTIONS.arrivals,
    engine,
  } as AnyLoadOptions;
}

/**
 * Runs closed-loop cycles (`LoadOptions`, `cycles`) or an open loop (`OpenLoopOptions`,
 * `rates`): the same document, with `openLoop` in each cycle of an open loop.
 */
export async function runLoad(options: AnyLoadOptions, hooks: RunHooks = {}): Promise<LoadResult> {
  validateLoadOptions(options);
  const loads = isOpenLoop(options) ? options.rates : options.cycles;
  const target = buildTarget(options);
  const engine = await loadEngine(engineName(options));
  const startedAt = new Date().toISOString();
  const pool =
    options.threads > 1
      ? new Piscina({
          filename: new URL('./shard-worker.js', import.meta.url).href,
          minThreads: options.threads,
          maxThreads: options.threads,
          // A worker is busy for a whole cycle; the queue never holds more than one cycle.
          concurrentTasksPerWorker: 1,
          idleTimeout: Number.POSITIVE_INFINITY,
        })
      : null;
  const cycles: CycleResult[] = [];
  try {
    if (pool) await poolReady(pool, options.threads);
    for (const [index, load] of loads.entries()) {
      if (index > 0 && options.cyclePauseS > 0) await pause(options.cyclePauseS, hooks.signal);
      if (hooks.signal?.aborted) break;
      const cycle = await runCycle(
        {
          options,
          engine: engine.name,
          target,
          pool,
          signal: hooks.signal,
          onProgress: hooks.onProgress,
          onWindow: (w) => hooks.onWindow?.({ cycleIndex: index, ...w }),
        },
        index,
        load,
      );
      if (cycle === null) break;
      cycles.push(cycle);
      hooks.onCycle?.(cycle);
    }
  } finally {
    await pool?.destroy();
  }
  return {
    schema: LOAD_RESULT_SCHEMA,
    driver: driverInfo(engine),
    host: hostInfo(),
    target: options.url,
    options: asRun(options, engine.name),
    startedAt,
    endedAt: new Date().toISOString(),
    complete: cycles.length === loads.length,
    cycles,
  };
}
