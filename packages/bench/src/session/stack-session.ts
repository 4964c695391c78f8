/**
 * One stack from start to stop, in phases the matrix calls in turn: `openSession` (render
 * configs → start its process groups → wait until ready → verify), `warmUp` (stack-warmup.ts),
 * `measureWindow` (one sample window: fresh connections, the load driver's cycle, the server
 * sampled and the spread over workers observed), `closeSession` (stop gracefully, kill what is
 * left, check no process remains and the port is free). The windows themselves are in measure-window.ts. A
 * failure fails this stack's run only.
 */
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { type AnyLoadOptions, type LoadResult, type RunHooks, runLoad } from '@stackbench/loadgen';
import type { Lifecycle, Placement, ProfileSettings, StackRun } from '@stackbench/result';
import { StackRunError } from '../errors.js';
import type { ProgressSink } from '../set/progress.js';
import type { StackDefinition } from '../stack/stack-def.js';
import { renderStack } from '../stack/stack-render.js';
import { render } from '../stack/template.js';
import { sessionValues, whereOf, workspaceValues } from '../stack/template-values.js';
import type { RunDir, RunningStack, Target } from '../targets/target.js';
import type { DatabaseProbe } from '../window/database-readings.js';
import { summarise } from '../window/sampler.js';
import { expectationFor, workloadRequest } from './app-expectations.js';
import { readyTimeoutMs, verify, waitReady } from './readiness.js';

export interface RunContext {
  target: Target;
  root: string;
  stacksDir: string;
  settings: ProfileSettings;
  placement: Placement;
  /** Port to serve on; 0 picks a free one per session. */
  port: number;
  signal: AbortSignal;
  progress: ProgressSink;
  /** Runs a window's load: in this process (default), or split across driver hosts. */
  load?: (options: AnyLoadOptions, hooks: RunHooks) => Promise<LoadResult>;
  /** How long after `load` is called the load starts (driver hosts start on a schedule). */
  loadLeadMs?: number;
  /** The db workload's database, when the set has one running (set/set-database.ts). */
  database?: ServiceDatabase;
}

/** A set's database as its stacks and windows see it. */
export interface ServiceDatabase extends DatabaseProbe {
  /** What every stack process gets: where to connect (PG*), its pool size and the table's rows. */
  env: Readonly<Record<string, string>>;
  /** Every process of the cluster now. */
  pids(): Promise<number[]>;
}

/** The load of a window, warm-up or capacity measurement, wherever the context runs it. */
export const loadOf = (ctx: RunContext) => ctx.load ?? runLoad;

const LOG_TAIL_LINES = 30;

export interface StackSession {
  stack: StackDefinition;
  run: StackRun;
  port: number;
  url: string;
  /** The run has failed: no more windows. */
  readonly failed: boolean;
  /** internal */
  state: { dir: RunDir | null; running: RunningStack | null; pids: number[] };
}

function newRun(round: number): StackRun {
  return {
    round,
    status: 'complete',
    error: null,
    logTail: [],
    startedAt: new Date().toISOString(),
    lifecycle: {
      startMs: null,
      readyMs: null,
      verifyMs: null,
      warmupMs: null,
      loadMs: 0,
      stopMs: null,
      killed: false,
      leftover: 0,
      portFree: true,
    },
    verification: null,
    windows: [],
    server: { summary: null },
  };
}

export async function timed<T>(lifecycle: Lifecycle, key: keyof Lifecycle, work: () => Promise<T>) {
  const t0 = performance.now();
  try {
    return await work();
  } finally {
    (lifecycle[key] as number | null) =
      ((lifecycle[key] as number | null) ?? 0) + performance.now() - t0;
  }
}

export function fail(session: StackSession, error: unknown): void {
  const run = session.run;
  if (run.status === 'failed') return;
  run.status = 'failed';
  run.error = (error as Error).message;
  run.logTail =
    error instanceof StackRunError
      ? error.logTail
      : (session.state.running?.logTail(LOG_TAIL_LINES) ?? []);
}

/** Starts the stack and waits until it serves the right answer; a failure is recorded, not thrown. */
export async function openSession(
  stack: StackDefinition,
  round: number,
  ctx: RunContext,
): Promise<StackSession> {
  const run = newRun(round);
  const session: StackSession = {
    stack,
    run,
    port: ctx.port,
    url: '',
    get failed() {
      return run.status === 'failed';
    },
    state: { dir: null, running: null, pids: [] },
  };
  try {
    const dir = await ctx.target.createRunDir(stack.name);
    session.state.dir = dir;
    session.port = ctx.port || (await ctx.target.freePort());
    const where = whereOf(ctx, stack);
    const values = {
      ...workspaceValues(where, stack.runtime),
      ...sessionValues(ctx.settings, session.port, await ctx.target.freePort(), dir.path),
    };
    const rendered = renderStack(stack, values, {
      ...ctx.settings.appEnv,
      ...ctx.database?.env,
      ...stack.appEnv,
    });
    for (const config of rendered.configs) await dir.write(config.output, config.text);
    const running = await timed(run.lifecycle, 'startMs', () =>
      ctx.target.launch(rendered.processes, {
        cwd: where.root,
        logFile: join(dir.path, 'stack.log'),
        cpus: ctx.placement.stackCpus,
      }),
    );
    session.state.running = running;
    session.url = render(stack.ready.url, values);
    const expect = expectationFor(ctx.settings.app);
    await timed(run.lifecycle, 'readyMs', async () => {
      try {
        await waitReady({
          url: session.url,
          status: stack.ready.status,
          body: stack.ready.body === null ? expect.body : new RegExp(stack.ready.body),
          timeoutMs: readyTimeoutMs(stack.ready.timeoutS, ctx.settings.workers),
          exited: () => running.exitReason(),
          processes: async () => {
            const { pids, running: runnable } = await running.snapshot();
            return { pids, runnable: runnable ?? null };
          },
          signal: ctx.signal,
          ...(rendered.listeners !== null && ctx.target.listeners
            ? {
                listeners: {
                  want: rendered.listeners,
                  count: async () => (await ctx.target.listeners?.(session.port)) ?? null,
                },
              }
            : {}),
        });
      } catch (error) {
        if (ctx.signal.aborted) throw error;
        throw new StackRunError(
          'NOT_READY',
          (error as Error).message,
          running.logTail(LOG_TAIL_LINES),
        );
      }
    });
    // every workload of the set answers right before any load (the seed's at the ready URL)
    for (const workload of ctx.settings.workloads ?? ['seed' as const]) {
      const request = workloadRequest(ctx.settings, workload);
      const url = workload === 'seed' ? session.url : new URL(request.path, session.url).href;
      const checked = await timed(run.lifecycle, 'verifyMs', () => verify(url, request.expect));
      run.verification ??= checked.verification;
      if (checked.problems.length) {
        throw new StackRunError(
          'VERIFY_FAILED',
          `wrong answer at ${url}: ${checked.problems.join('; ')}`,
          running.logTail(LOG_TAIL_LINES),
        );
      }
    }
    session.state.pids = (await running.snapshot()).pids;
  } catch (error) {
    fail(session, error);
  }
  return session;
}

async function portFreed(target: Target, port: number): Promise<boolean> {
  for (let i = 0; i < 20; i++) {
    if (await target.portFree(port)) return true;
    await sleep(100);
  }
  return false;
}

export function checkAlive(session: StackSession): void {
  const died = session.state.running?.exitReason();
  if (died) {
    fail(
      session,
      new StackRunError(
        'EXITED',
        `during the load: ${died}`,
        session.state.running!.logTail(LOG_TAIL_LINES),
      ),
    );
  }
}

/** Stops the stack, checks nothing is left and the port is free, removes its temp dir. */
export async function closeSession(session: StackSession, ctx: RunContext): Promise<StackRun> {
  const { run, stack } = session;
  const running = session.state.running;
  try {
    if (running) {
      ctx.progress.phase(stack.name, 'stopping');
      const outcome = await timed(run.lifecycle, 'stopMs', () =>
        running.stop(stack.stop.signal, stack.stop.graceS * 1000),
      );
      run.lifecycle.killed = outcome.killed;
      run.lifecycle.leftover = outcome.leftover.length;
      run.lifecycle.portFree = await portFreed(ctx.target, session.port);
      if (outcome.leftover.length && run.status === 'complete') {
        run.status = 'failed';
        run.error = `processes left after stop: ${outcome.leftover.join(', ')}`;
      }
    }
    run.server.summary = summarise(run.windows.flatMap((w) => w.server));
  } finally {
    await session.state.dir?.remove();
  }
  return run;
}
