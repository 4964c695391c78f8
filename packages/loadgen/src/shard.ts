/**
 * Runs one shard of a cycle's users in the current thread, on the absolute schedule the cycle
 * runner computed (so shards in several threads ramp, warm up and measure together), and
 * returns its counts and histograms. The same code runs in the main thread (`--threads 1`) and in
 * each piscina worker.
 */
import { performance } from 'node:perf_hooks';
import { busyPercentSince, cpuTicks } from './host-cpu.js';
import { Recorder } from './recorder.js';
import {
  CONTROL_ABORT,
  completedSlot,
  failedSlot,
  type ShardResult,
  type ShardSpec,
} from './shard-types.js';
import { User } from './user.js';

/** How often a shard looks at the abort flag, ms. */
const ABORT_POLL_MS = 50;

export function runShard(spec: ShardSpec): Promise<ShardResult> {
  const control = new Int32Array(spec.control);
  const toLocal = (absMs: number) => absMs - performance.timeOrigin;
  const windowStart = toLocal(spec.measureStartMs);
  const windowEnd = windowStart + spec.durationMs;
  const completed = completedSlot(spec.shard);
  const failed = failedSlot(spec.shard);
  const recorder = new Recorder(windowStart, spec.durationMs, {
    completed: () => Atomics.add(control, completed, 1),
    failed: () => Atomics.add(control, failed, 1),
  });
  const users = spec.userIndices.map(() => new User(spec.target, recorder));
  const timers: NodeJS.Timeout[] = [];
  const later = (atLocalMs: number, fn: () => void) =>
    timers.push(setTimeout(fn, Math.max(0, atLocalMs - performance.now())));

  return new Promise<ShardResult>((resolve) => {
    let elu0 = performance.eventLoopUtilization();
    let cpu0 = process.cpuUsage();
    let host0 = cpuTicks();
    const startLocal = toLocal(spec.startAtMs);
    spec.userIndices.forEach((globalIndex, i) => {
      later(startLocal + globalIndex * spec.startupDelayMs, () => users[i]!.start());
    });
    later(windowStart, () => {
      elu0 = performance.eventLoopUtilization();
      cpu0 = process.cpuUsage();
      host0 = cpuTicks();
      recorder.resetBytes();
    });
    let done = false;
    const finish = (aborted: boolean) => {
      if (done) return;
      done = true;
      const endLocal = performance.now();
      recorder.close(
        endLocal,
        users.map((user) => user.stop()),
      );
      for (const timer of timers) clearTimeout(timer);
      clearInterval(poll);
      const cpu = process.cpuUsage(cpu0);
      resolve({
        windowEndMs: endLocal + performance.timeOrigin,
        sentInWindow: recorder.sentInWindow,
        carriedIn: recorder.carriedIn,
        succeeded: recorder.succeeded,
        failed: recorder.failed,
        inFlightAtEnd: recorder.inFlightAtEnd,
        bytes: recorder.bytes,
        failures: recorder.failures,
        histogram: recorder.encodeHistogram(),
        timeline: recorder.timeline(),
        eventLoopUtilization: performance.eventLoopUtilization(elu0).utilization,
        processCpuUs: cpu.user + cpu.system,
        hostCpuBusyPercent: busyPercentSince(host0),
        aborted,
      });
    };
    later(windowEnd, () => finish(false));
    const poll = setInterval(() => {
      if (Atomics.load(control, CONTROL_ABORT) !== 0) finish(true);
    }, ABORT_POLL_MS);
  });
}
