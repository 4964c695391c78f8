/**
 * The measured part of a round: one sample window (the load driver's cycle with the stack's
 * processes sampled and the spread over its workers observed), and, for rates as fractions of
 * capacity, the round's capacity window.
 */

import { setTimeout as sleep } from 'node:timers/promises';
import { disturbedBy, startNoiseReadings } from '@stackbench/host-probe';
import type { CycleProgress, LoadResult } from '@stackbench/loadgen';
import type { SampleWindow, ServerSample } from '@stackbench/result';
import { StackRunError } from '../errors.js';
import { DEFAULT_DISTURBANCE } from '../profile/profile-sampling.js';
import { firstWorkload } from '../session/app-expectations.js';
import {
  checkAlive,
  fail,
  loadOf,
  type RunContext,
  type StackSession,
  timed,
} from '../session/stack-session.js';
import type { PlannedWindow } from '../set/schedule.js';
import { startDatabaseReadings } from './database-readings.js';
import { startSampler } from './sampler.js';
import { offeredRate, openWindowOptions, windowLoadOptions } from './window-load.js';
import { balanceOf } from './worker-balance.js';

interface WindowSpan {
  startMs: number;
  endMs: number;
}

/** A fixed window from its load's start: the profile's warm-up, then its measured part. */
function fixedWindow(startAtMs: number, s: RunContext['settings']): WindowSpan {
  const startMs = startAtMs + s.cycleWarmupS * 1000;
  return { startMs, endMs: startMs + s.durationS * 1000 };
}

/** The window's times as the load driver publishes them. */
function windowTimes(): { known: Promise<WindowSpan>; set: (w: WindowSpan) => void } {
  let set: (w: WindowSpan) => void = () => {};
  const known = new Promise<WindowSpan>((resolve) => {
    set = (w) => resolve({ startMs: w.startMs, endMs: w.endMs });
  });
  return { known, set };
}

/** Noise readings from the window's start (a moment ahead: the driver publishes it with a lead). */
async function noiseFrom(startMs: number, stackPids: () => Promise<number[]>) {
  const wait = startMs - Date.now();
  if (wait > 0) await sleep(wait);
  return startNoiseReadings({ stackPids, driverPid: process.pid });
}

const disturbanceOf = (s: RunContext['settings']) => s.disturbance ?? DEFAULT_DISTURBANCE;

/**
 * With rates as fractions of capacity: one closed-loop window of `capacityCus` users measures
 * what the stack serves in this round; its successful RPS is the capacity the rates scale.
 */
export async function measureCapacity(session: StackSession, ctx: RunContext): Promise<void> {
  const s = ctx.settings;
  if (session.failed || !s.ratesOfCapacity?.length) return;
  ctx.progress.phase(session.stack.name, `capacity at ${s.capacityCus} CUs`);
  const load = await timed(session.run.lifecycle, 'loadMs', () =>
    loadOf(ctx)(
      windowLoadOptions(s, session.url, s.capacityCus ?? 10, { workload: firstWorkload(s) }),
      { signal: ctx.signal },
    ),
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
  cell: Pick<PlannedWindow, 'level' | 'connection' | 'workload'>,
  seq: number,
  ctx: RunContext,
  onProgress: (p: CycleProgress) => void,
): Promise<SampleWindow | null> {
  const running = session.state.running!;
  const s = ctx.settings;
  const { level, connection, workload } = cell;
  const rate = offeredRate(s, level, session.run.capacityRps);
  // the load runs here unless driver hosts run it: only then are windows sized and the host's
  // noise read (these readings are of this host's /proc)
  const here = ctx.load === undefined;
  const options =
    rate === null
      ? windowLoadOptions(s, session.url, level, { connection, workload, sized: here })
      : openWindowOptions(s, session.url, rate, { connection, workload });
  const pids = (await running.snapshot()).pids;
  const probe = ctx.target.workers;
  const workers = (await probe.servingWorkers(session.port, pids)) ?? [];
  const sampler = startSampler(running, ctx.target, session.port, pids);
  const startedAt = new Date().toISOString();
  // CPU of every process of the stack (workers, master, proxy) over the measured part, and the
  // connections once, in its middle, read at the times the driver gives for its window (a sized
  // window's start is known only once its warm-up is steady); driver hosts start the load on a
  // schedule a moment ahead (drivers.ts), with a fixed window
  const lead = ctx.loadLeadMs ?? 0;
  const measured = here
    ? windowTimes()
    : {
        known: Promise.resolve(fixedWindow(Date.now() + lead, s)),
        set: () => {},
      };
  const cpuBefore = measured.known.then((w) => probe.cpuMsByPid(pids, w.startMs));
  const connections = measured.known.then((w) =>
    probe.establishedByPid(session.port, (w.startMs + w.endMs) / 2),
  );
  // the database serves the stacks: its processes count with the stack's, not as foreign CPU
  const servicePids = async () => [
    ...(await running.snapshot()).pids,
    ...((await ctx.database?.pids()) ?? []),
  ];
  const noise = here ? measured.known.then((w) => noiseFrom(w.startMs, servicePids)) : null;
  const database =
    workload === 'db' && ctx.database ? startDatabaseReadings(ctx.database, measured.known) : null;
  let load: LoadResult;
  let server: ServerSample[];
  try {
    load = await timed(session.run.lifecycle, 'loadMs', () =>
      loadOf(ctx)(options, { signal: ctx.signal, onProgress, onWindow: measured.set }),
    );
  } finally {
    server = await sampler.stop();
  }
  // a load that never published its window (aborted early) leaves these readings unstarted
  if (!load.complete) {
    measured.set(fixedWindow(Date.now(), s));
    await (await noise)?.stop();
    await database?.stop();
    return null;
  }
  const noiseReading = noise ? await (await noise).stop() : null;
  const databaseReading = database ? await database.stop() : null;
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
    ...(s.workloads ? { workload } : {}),
    seq,
    startedAt,
    load,
    balance: workers.length ? balanceOf(workers, await connections, cpuStart, cpuAfter) : null,
    serverCpuMs,
    server,
    ...(noiseReading
      ? { noise: { ...noiseReading, disturbed: disturbedBy(noiseReading, disturbanceOf(s)) } }
      : {}),
    ...(databaseReading ? { database: databaseReading } : {}),
  };
  session.run.windows.push(window);
  checkAlive(session);
  return window;
}
