/**
 * Merges the shards of one cycle into its `CycleResult`: counts are summed and histograms added
 * (never percentiles averaged), per second as well as over the window.
 */
import { availableParallelism } from 'node:os';
import type { EngineName } from './engines/engine-name.js';
import { addFailures, emptyFailures } from './failure-counts.js';
import { decode, encode, latencyStats, newHistogram } from './histogram.js';
import { mergeOpenLoop, type OpenLoopCycleSpec } from './open-loop/merge.js';
import type { CycleResult, TimelineSample } from './result.js';
import type { ShardResult } from './shard-types.js';
import type { CycleWindow } from './window-types.js';

/** Above this share of its capacity the driver is the bottleneck, not the target. */
export const SATURATION = 0.9;

const round = (value: number, digits: number) => {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
};

function mergeTimeline(shards: ShardResult[]): TimelineSample[] {
  const length = Math.max(...shards.map((s) => s.timeline.length));
  return Array.from({ length }, (_, second) => {
    const histogram = newHistogram(2);
    let requests = 0;
    let failures = 0;
    for (const shard of shards) {
      const bucket = shard.timeline[second];
      if (!bucket) continue;
      requests += bucket.requests;
      failures += bucket.failures;
      if (bucket.histogram) histogram.add(decode(bucket.histogram));
    }
    const empty = histogram.totalCount === 0;
    const at = (p: number) => (empty ? null : histogram.getValueAtPercentile(p) / 1000);
    return { second, requests, failures, p50Ms: at(50), p95Ms: at(95) };
  });
}

export function mergeShards(
  users: number,
  measureStartMs: number,
  threads: number,
  shards: ShardResult[],
  engine: EngineName = 'native',
  openLoop?: OpenLoopCycleSpec,
  /** How an adaptive window was sized; echoed as `window`. */
  window?: CycleWindow,
): CycleResult {
  const histogram = newHistogram(3);
  const failures = emptyFailures();
  const sum = (pick: (s: ShardResult) => number) => shards.reduce((n, s) => n + pick(s), 0);
  for (const shard of shards) {
    histogram.add(decode(shard.histogram));
    addFailures(failures, shard.failures);
  }
  const windowEnd = Math.max(...shards.map((s) => s.windowEndMs));
  const durationS = (windowEnd - measureStartMs) / 1000;
  const succeeded = sum((s) => s.succeeded);
  const failed = sum((s) => s.failed);
  // Requests autocannon lost (no response, no error) are reported as in flight at the end, and
  // apart in `autocannon`. The native engine's own count is not padded: its identity
  // sent = succeeded + failed + inFlightAtEnd is what the tests check.
  const outstanding = sum((s) => s.inFlightAtEnd);
  const lost = sum((s) => s.lost);
  const inFlightAtEnd = outstanding + (engine === 'autocannon' ? lost : 0);
  // process.cpuUsage() covers every thread of the process: one shard's reading is the total.
  const cpuPercent = ((shards[0]?.processCpuUs ?? 0) / 1000 / (durationS * 1000)) * 100;
  const capacity = Math.min(threads, availableParallelism()) * 100;
  const maxElu = Math.max(...shards.map((s) => s.eventLoopUtilization));
  return {
    users,
    durationS: round(durationS, 3),
    requests: {
      sent: sum((s) => s.carriedIn + s.sentInWindow),
      carriedIn: sum((s) => s.carriedIn),
      succeeded,
      failed,
      inFlightAtEnd,
    },
    rps: {
      successful: round(succeeded / durationS, 2),
      total: round((succeeded + failed) / durationS, 2),
    },
    latencyMs: latencyStats(histogram),
    failures,
    bytesPerS: Math.round(sum((s) => s.bytes) / durationS),
    inFlightAtEnd,
    driverCpu: {
      percent: round(cpuPercent, 1),
      threads,
      maxEventLoopUtilization: round(maxElu, 3),
    },
    hostCpuBusyPercent: round(shards[0]?.hostCpuBusyPercent ?? 0, 1),
    driverSaturated: maxElu > SATURATION || cpuPercent > SATURATION * capacity,
    timeline: mergeTimeline(shards),
    histogram: encode(histogram),
    ...(engine === 'autocannon'
      ? {
          autocannon: {
            inFlightAtEnd: outstanding,
            lost,
            staleLatencies: sum((s) => s.staleLatencies),
          },
        }
      : {}),
    ...(openLoop ? { openLoop: mergeOpenLoop(openLoop, shards, durationS) } : {}),
    ...(window ? { window } : {}),
  };
}
