/**
 * Runs one shard of a cycle's users in the current thread and returns its counts and
 * histograms. The same code runs in the main thread (`--threads 1`) and in each piscina worker.
 * A shard first says it is ready and waits for the start time the cycle runner publishes once
 * every shard is ready, so that shards in several threads ramp, warm up and measure together
 * even when a thread was slow to receive its task. The measured window comes from the runner
 * too: with the start time, or (adaptive window) once the runner has seen a steady warm-up. The
 * users themselves are the engine's (`src/engines`); the window, counts and driver health are
 * the same for every engine.
 */
import { performance } from 'node:perf_hooks';
import { hostBusySince, sampleHostCpu } from '@stackbench/host-probe';
import { loadEngine } from './engines/pick.js';
import { emptyFailures } from './failure-counts.js';
import { OpenLoopRecorder } from './open-loop/recorder.js';
import { type RunningOpenLoop, startOpenLoop } from './open-loop/run.js';
import { Recorder } from './recorder.js';
import {
  CONTROL_ABORT,
  CONTROL_READY,
  CONTROL_WINDOW,
  completedSlot,
  failedSlot,
  respondedSlot,
  SCHEDULE_START,
  SCHEDULE_WINDOW_END,
  SCHEDULE_WINDOW_START,
  type ShardResult,
  type ShardSpec,
} from './shard-types.js';

/** How often a shard looks at the start time, an adaptive window, and the abort flag, ms. */
const POLL_MS = 2;
const ABORT_POLL_MS = 50;

/** The published window (absolute ms), or null while the runner has not published it. */
function publishedWindow(
  control: Int32Array,
  schedule: Float64Array,
): { startMs: number; endMs: number } | null {
  // The flag is stored after the times: an Atomics load that sees it sees them.
  if (Atomics.load(control, CONTROL_WINDOW) === 0) return null;
  return { startMs: schedule[SCHEDULE_WINDOW_START]!, endMs: schedule[SCHEDULE_WINDOW_END]! };
}

/** Waits for the published start time; null when aborted first. */
function startTime(control: Int32Array, schedule: Float64Array): Promise<number | null> {
  return new Promise((resolve) => {
    const poll = setInterval(() => {
      if (Atomics.load(control, CONTROL_ABORT) !== 0) {
        clearInterval(poll);
        resolve(null);
      } else if (schedule[SCHEDULE_START] !== 0) {
        clearInterval(poll);
        resolve(schedule[SCHEDULE_START]!);
      }
    }, POLL_MS);
  });
}

function abortedEarly(): ShardResult {
  return {
    measureStartMs: 0,
    windowEndMs: 0,
    sentInWindow: 0,
    carriedIn: 0,
    succeeded: 0,
    failed: 0,
    inFlightAtEnd: 0,
    lost: 0,
    staleLatencies: 0,
    bytes: 0,
    failures: emptyFailures(),
    histogram: '',
    timeline: [],
    eventLoopUtilization: 0,
    processCpuUs: 0,
    hostCpuBusyPercent: 0,
    aborted: true,
  };
}

export async function runShard(spec: ShardSpec): Promise<ShardResult> {
  const engine = await loadEngine(spec.engine);
  const control = new Int32Array(spec.control);
  const schedule = new Float64Array(spec.schedule);
  Atomics.add(control, CONTROL_READY, 1);
  const startAtMs = await startTime(control, schedule);
  if (startAtMs === null) return abortedEarly();

  const toLocal = (absMs: number) => absMs - performance.timeOrigin;
  const live = {
    completed: () => Atomics.add(control, completedSlot(spec.shard), 1),
    failed: () => Atomics.add(control, failedSlot(spec.shard), 1),
    responded: () => Atomics.add(control, respondedSlot(spec.shard), 1),
  };
  // A fixed window is published with the start time; an adaptive one comes later (until then
  // nothing is in it, and the timeline is sized for its longest).
  const fixed = publishedWindow(control, schedule);
  const windowStart = fixed ? toLocal(fixed.startMs) : Number.POSITIVE_INFINITY;
  const capacityMs = spec.maxDurationMs ?? spec.durationMs;
  const openRecorder = spec.openLoop ? new OpenLoopRecorder(windowStart, capacityMs, live) : null;
  const recorder = openRecorder ?? new Recorder(windowStart, capacityMs, live);
  const timers: NodeJS.Timeout[] = [];
  const later = (atLocalMs: number, fn: () => void) =>
    timers.push(setTimeout(fn, Math.max(0, atLocalMs - performance.now())));

  const openLoop: RunningOpenLoop | null =
    spec.openLoop && openRecorder
      ? startOpenLoop(spec.target, spec.openLoop, toLocal(startAtMs), openRecorder)
      : null;
  const users =
    openLoop ??
    engine.start(
      spec.target,
      spec.userIndices.map((globalIndex) => toLocal(startAtMs) + globalIndex * spec.startupDelayMs),
      recorder,
    );
  const result = await new Promise<ShardResult>((resolve) => {
    let elu0 = performance.eventLoopUtilization();
    let cpu0 = process.cpuUsage();
    let host0 = sampleHostCpu();
    let measureStartMs = 0;
    let windowPoll: NodeJS.Timeout | undefined;
    let done = false;
    const openWindow = (startLocal: number, endLocal: number) => {
      measureStartMs = startLocal + performance.timeOrigin;
      later(startLocal, () => {
        elu0 = performance.eventLoopUtilization();
        cpu0 = process.cpuUsage();
        host0 = sampleHostCpu();
        recorder.resetBytes();
      });
      later(endLocal, () => finish(false));
    };
    const finish = (aborted: boolean) => {
      if (done) return;
      done = true;
      const endLocal = performance.now();
      recorder.close(endLocal, users.stop());
      for (const timer of timers) clearTimeout(timer);
      clearInterval(poll);
      clearInterval(windowPoll);
      const cpu = process.cpuUsage(cpu0);
      resolve({
        measureStartMs,
        windowEndMs: endLocal + performance.timeOrigin,
        sentInWindow: recorder.sentInWindow,
        carriedIn: recorder.carriedIn,
        succeeded: recorder.succeeded,
        failed: recorder.failed,
        inFlightAtEnd: recorder.inFlightAtEnd,
        // Whatever the window saw that ended in none of the three outcomes.
        lost:
          recorder.carriedIn +
          recorder.sentInWindow -
          recorder.succeeded -
          recorder.failed -
          recorder.inFlightAtEnd,
        staleLatencies: recorder.staleLatencies,
        bytes: recorder.bytes,
        failures: recorder.failures,
        histogram: recorder.encodeHistogram(),
        timeline: recorder.timeline(),
        eventLoopUtilization: performance.eventLoopUtilization(elu0).utilization,
        processCpuUs: cpu.user + cpu.system,
        hostCpuBusyPercent: hostBusySince(host0).busyPct,
        aborted,
        ...(openLoop ? { openLoop: openLoop.stats() } : {}),
      });
    };
    if (fixed) {
      openWindow(windowStart, toLocal(fixed.endMs));
    } else {
      windowPoll = setInterval(() => {
        const window = publishedWindow(control, schedule);
        if (!window) return;
        clearInterval(windowPoll);
        // Published a short lead ahead; a thread that sees it only after its start (busy beyond
        // the lead) opens it now, so that no request event has been judged against the wrong
        // start: its counts stay exact, its window a little shorter.
        const startLocal = Math.max(toLocal(window.startMs), performance.now());
        recorder.openWindow(startLocal, window.endMs - window.startMs);
        openWindow(startLocal, toLocal(window.endMs));
      }, POLL_MS);
    }
    const poll = setInterval(() => {
      if (Atomics.load(control, CONTROL_ABORT) !== 0) finish(true);
    }, ABORT_POLL_MS);
  });
  // The next cycle must not start while this engine still has connections open.
  await users.closed;
  return result;
}
