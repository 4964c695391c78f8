/**
 * One run of one stack: render configs → start (own process groups) → wait until ready →
 * verify → warm up → the load driver's cycles while sampling → stop gracefully, kill what is
 * left, check no process remains and the port is free. A failure fails this run only.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { type LoadOptions, type LoadResult, runLoad } from '@stackbench/loadgen';
import type {
  Lifecycle,
  Placement,
  ProfileSettings,
  StackRun,
  Verification,
} from '@stackbench/report';
import { expectationFor } from './app-expectations.js';
import { StackRunError } from './errors.js';
import type { ProgressSink } from './progress.js';
import { verify, waitReady } from './readiness.js';
import { createRunDir, removeRunDir } from './run-dir.js';
import { startSampler, summarise } from './sampler.js';
import type { StackDefinition } from './stack-def.js';
import { renderStack } from './stack-render.js';
import type { RunningStack, Target } from './target.js';
import { render, type TemplateValues } from './template.js';

export interface RunContext {
  target: Target;
  root: string;
  stacksDir: string;
  settings: ProfileSettings;
  placement: Placement;
  /** Port to serve on; 0 picks a free one per run. */
  port: number;
  signal: AbortSignal;
  progress: ProgressSink;
}

const LOG_TAIL_LINES = 30;

/** The placeholder values of one run (see template.ts). */
export function templateValues(
  where: { settings: ProfileSettings; root: string; stacksDir: string },
  port: number,
  internalPort: number,
  dir: string,
): TemplateValues {
  const s = where.settings;
  return {
    workers: s.workers,
    port,
    internal_port: internalPort,
    backlog: s.backlog,
    timeout: s.timeout,
    threads: s.threads,
    app: s.app,
    node: process.execPath,
    root: where.root,
    stacks: where.stacksDir,
    tmpdir: dir,
  };
}

export function loadOptions(settings: ProfileSettings, url: string): LoadOptions {
  const expect = expectationFor(settings.app);
  return {
    url,
    cycles: settings.cycles,
    durationS: settings.durationS,
    warmupS: settings.cycleWarmupS,
    startupDelayS: 0,
    cyclePauseS: settings.pauseS,
    sleepTimeS: 0,
    connection: 'keep-alive',
    timeoutS: settings.requestTimeoutS,
    expectStatus: expect.status,
    expectBody: expect.body.source,
    threads: settings.loadThreads,
  };
}

async function portFreed(target: Target, port: number): Promise<boolean> {
  for (let i = 0; i < 20; i++) {
    if (await target.portFree(port)) return true;
    await sleep(100);
  }
  return false;
}

export async function runStack(
  stack: StackDefinition,
  repeat: number,
  ctx: RunContext,
): Promise<StackRun> {
  const dir = createRunDir(stack.name);
  const lifecycle: Lifecycle = {
    startMs: null,
    readyMs: null,
    verifyMs: null,
    warmupMs: null,
    loadMs: null,
    stopMs: null,
    killed: false,
    leftover: 0,
    portFree: true,
  };
  const run: StackRun = {
    repeat,
    status: 'failed',
    error: null,
    logTail: [],
    startedAt: new Date().toISOString(),
    lifecycle,
    verification: null,
    load: null,
    server: { summary: null, samples: [] },
  };
  const timed = async <T>(key: keyof Lifecycle, work: () => Promise<T>): Promise<T> => {
    const t0 = performance.now();
    try {
      return await work();
    } finally {
      (lifecycle[key] as number | null) = performance.now() - t0;
    }
  };
  let running: RunningStack | null = null;
  let port = ctx.port;
  try {
    port = ctx.port || (await ctx.target.freePort());
    const values = templateValues(ctx, port, await ctx.target.freePort(), dir);
    const rendered = renderStack(stack, values, ctx.settings.appEnv);
    for (const config of rendered.configs) writeFileSync(join(dir, config.output), config.text);
    running = await timed('startMs', () =>
      ctx.target.launch(rendered.processes, {
        cwd: ctx.root,
        logFile: join(dir, 'stack.log'),
        cpus: ctx.placement.stackCpus,
      }),
    );
    const stackRef = running;
    const url = render(stack.ready.url, values);
    const expect = expectationFor(ctx.settings.app);
    ctx.progress.phase(stack.name, 'waiting until ready');
    await timed('readyMs', async () => {
      try {
        await waitReady({
          url,
          status: stack.ready.status,
          body: stack.ready.body === null ? expect.body : new RegExp(stack.ready.body),
          timeoutMs: stack.ready.timeoutS * 1000,
          exited: () => stackRef.exitReason(),
          signal: ctx.signal,
        });
      } catch (error) {
        if (ctx.signal.aborted) throw error;
        throw new StackRunError(
          'NOT_READY',
          (error as Error).message,
          stackRef.logTail(LOG_TAIL_LINES),
        );
      }
    });
    const checked: { verification: Verification; problems: string[] } = await timed(
      'verifyMs',
      () => verify(url, expect),
    );
    run.verification = checked.verification;
    if (checked.problems.length) {
      throw new StackRunError(
        'VERIFY_FAILED',
        `wrong answer at ${url}: ${checked.problems.join('; ')}`,
        running.logTail(LOG_TAIL_LINES),
      );
    }
    const options = loadOptions(ctx.settings, url);
    if (ctx.settings.warmupS > 0) {
      ctx.progress.phase(stack.name, `warming up ${ctx.settings.warmupS} s`);
      await timed('warmupMs', () =>
        runLoad(
          {
            ...options,
            cycles: [options.cycles[0] ?? 1],
            durationS: ctx.settings.warmupS,
            warmupS: 0,
          },
          { signal: ctx.signal },
        ),
      );
    }
    ctx.signal.throwIfAborted();
    const initial = (await running.snapshot()).pids;
    const sampler = startSampler(running, ctx.target, port, initial);
    let load: LoadResult;
    try {
      load = await timed('loadMs', () =>
        runLoad(options, {
          signal: ctx.signal,
          onProgress: (p) => ctx.progress.cycle(stack.name, p, options.cycles.length),
        }),
      );
    } finally {
      run.server.samples = await sampler.stop();
      run.server.summary = summarise(run.server.samples);
    }
    run.load = load;
    const died = running.exitReason();
    if (died)
      throw new StackRunError(
        'EXITED',
        `during the load: ${died}`,
        running.logTail(LOG_TAIL_LINES),
      );
    run.status = load.complete ? 'complete' : 'failed';
    if (!load.complete) run.error = 'load interrupted';
  } catch (error) {
    run.status = 'failed';
    run.error = (error as Error).message;
    run.logTail =
      error instanceof StackRunError ? error.logTail : (running?.logTail(LOG_TAIL_LINES) ?? []);
  } finally {
    if (running) {
      const stackRef = running;
      ctx.progress.phase(stack.name, 'stopping');
      const outcome = await timed('stopMs', () =>
        stackRef.stop(stack.stop.signal, stack.stop.graceS * 1000),
      );
      lifecycle.killed = outcome.killed;
      lifecycle.leftover = outcome.leftover.length;
      lifecycle.portFree = await portFreed(ctx.target, port);
      if (outcome.leftover.length && run.status === 'complete') {
        run.status = 'failed';
        run.error = `processes left after stop: ${outcome.leftover.join(', ')}`;
      }
    }
    removeRunDir(dir);
  }
  return run;
}
