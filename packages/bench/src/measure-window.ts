/**
 * The measured part of a round: one sample window (the load driver's cycle with the stack's
 * processes sampled and the spread over its workers observed), and, for rates as fractions of
 * capacity, the round's capacity window.
 */
import type { CycleProgress, LoadResult } from '@stackbench/loadgen';
import type { SampleWindow, ServerSample } from '@stackbench/report';
import { StackRunError } from './errors.js';
import { startSampler } from './sampler.js';
import type { PlannedWindow } from './schedule.js';
import {
  checkAlive,
  fail,
  loadOf,
  type RunContext,
  type StackSession,
  timed,
} from './stack-session.js';
import { offeredRate, openWindowOptions, windowLoadOptions } from './window-load.js';
import { balanceOf } from './worker-balance.js';

/**
 * With rates as fractions of capacity: one closed-loop window of `capacityCus` users measures
 * what the stack serves in this round; its successful RPS is the capacity the rates scale.
 */
export async function measureCapacity(session: StackSession, ctx: RunContext): Promise<void> {
  const s = ctx.settings;
  if (session.failed || !s.ratesOfCapacity?.length) return;
  ctx.progress.phase(session.stack.name, `capacity at ${s.capacityCus} CUs`);
  const load = await timed(session.run.lifecycle, 'loadMs', () =>
    loadOf(ctx)(windowLoadOptions(s, session.url, s.capacityCus ?? 10), { signal: ctx.signal }),
  );
  const rps = load.cycles[0]?.rps.successful ?? 0;
  session.run.capacityRps = rps;
  if (load.complete && rps <= 0) {
    fail(session, new StackRunError('VERIFY_FAILED', 'the capacity window served no request', []));
  }
  checkAlive(session);
}

/**
 * One sample window of a cell (users or offered rate, connection mode), appended to the run and
 * returned; null when the load was interrupted (nothing is recorded); a stack that dies fails its run. With a new
 * connection per request the mid-window connection count is a snapshot of the few in flight:
 * the CPU per worker is the steadier balance figure there.
 */
export async function measureWindow(
  session: StackSession,
  cell: Pick<PlannedWindow, 'level' | 'connection'>,
  seq: number,
  ctx: RunContext,
  onProgress: (p: CycleProgress) => void,
): Promise<SampleWindow | null> {
  const running = session.state.running!;
  const s = ctx.settings;
  const { level, connection } = cell;
  const rate = offeredRate(s, level, session.run.capacityRps);
  const options =
    rate === null
      ? windowLoadOptions(s, session.url, level, connection)
      : openWindowOptions(s, session.url, rate, connection);
  const pids = (await running.snapshot()).pids;
  const probe = ctx.target.workers;
  const workers = (await probe.servingWorkers(session.port, pids)) ?? [];
  // driver hosts start the load on a schedule a moment ahead (drivers.ts)
  const lead = ctx.loadLeadMs ?? 0;
  const sampler = startSampler(running, ctx.target, session.port, pids);
  const startedAt = new Date().toISOString();
  // CPU of every process of the stack (workers, master, proxy) over the measured part, and
  // the connections once, in its middle: readings taken at those times where the stack runs
  const measureAt = Date.now() + lead + s.cycleWarmupS * 1000;
  const cpuBefore = probe.cpuMsByPid(pids, measureAt);
  const connections = probe.establishedByPid(session.port, measureAt + s.durationS * 500);
  let load: LoadResult;
  let server: ServerSample[];
  try {
    load = await timed(session.run.lifecycle, 'loadMs', () =>
      loadOf(ctx)(options, { signal: ctx.signal, onProgress }),
    );
  } finally {
    server = await sampler.stop();
  }
  if (!load.complete) return null;
  const cpuAfter = await probe.cpuMsByPid(pids);
  const cpuStart = await cpuBefore;
  let serverCpuMs = 0;
  for (const [pid, after] of cpuAfter)
    serverCpuMs += Math.max(0, after - (cpuStart.get(pid) ?? after));
  const window: SampleWindow = {
    // users, or the open loop's initial pool
    cus: 'rates' in options ? options.connections : level,
    ...(rate === null ? {} : { level, offeredRps: rate }),
    // only profiles that list connection modes mark them, so older sets read the same
    ...(s.connections ? { connection } : {}),
    seq,
    startedAt,
    load,
    balance: workers.length ? balanceOf(workers, await connections, cpuStart, cpuAfter) : null,
    serverCpuMs,
    server,
  };
  session.run.windows.push(window);
  checkAlive(session);
  return window;
}
