/**
 * Merges the load threads' shards of one cycle into its `CycleResult`: each shard is a part of
 * the one merge (merge-parts.ts, which driver hosts use too); what is about threads stays here:
 * the process's CPU, the busiest event loop, autocannon's lost requests, an adaptive window.
 */
import { availableParallelism } from 'node:os';
import type { EngineName } from './engines/engine-name.js';
import { type LoadPart, mergeParts, type OpenLoopCycleSpec } from './merge-parts.js';
import type { CycleResult } from './result.js';
import type { ShardResult } from './shard-types.js';
import type { CycleWindow } from './window-types.js';

/** Above this share of its capacity the driver is the bottleneck, not the target. */
export const SATURATION = 0.9;

const round = (value: number, digits: number) => {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
};

/** A shard as a part; autocannon's lost requests (no response, no error) count as in flight. */
function shardPart(shard: ShardResult, measureStartMs: number, engine: EngineName): LoadPart {
  const o = shard.openLoop;
  return {
    windowS: (shard.windowEndMs - measureStartMs) / 1000,
    requests: {
      sent: shard.carriedIn + shard.sentInWindow,
      carriedIn: shard.carriedIn,
      succeeded: shard.succeeded,
      failed: shard.failed,
      // the native engine's count is not padded: its identity is what the tests check
      inFlightAtEnd: shard.inFlightAtEnd + (engine === 'autocannon' ? shard.lost : 0),
    },
    failures: shard.failures,
    histogram: shard.histogram,
    bytes: shard.bytes,
    timeline: shard.timeline,
    ...(o
      ? {
          openLoop: {
            scheduled: shard.sentInWindow,
            written: o.written,
            delayed: o.delayed,
            waitingAtEnd: o.waitingAtEnd,
            peakConnections: o.peakConnections,
            serviceHistogram: o.serviceHistogram,
            sendLag: o.sendLagHistogram,
          },
        }
      : {}),
  };
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
  const merged = mergeParts(
    shards.map((s) => shardPart(s, measureStartMs, engine)),
    openLoop,
  );
  const sum = (pick: (s: ShardResult) => number) => shards.reduce((n, s) => n + pick(s), 0);
  const windowMs = Math.max(...shards.map((s) => s.windowEndMs)) - measureStartMs;
  // process.cpuUsage() covers every thread of the process: one shard's reading is the total.
  const cpuPercent = ((shards[0]?.processCpuUs ?? 0) / 1000 / windowMs) * 100;
  const capacity = Math.min(threads, availableParallelism()) * 100;
  const maxElu = Math.max(...shards.map((s) => s.eventLoopUtilization));
  const { openLoop: open, ...rest } = merged;
  return {
    users,
    ...rest,
    driverCpu: {
      percent: round(cpuPercent, 1),
      threads,
      maxEventLoopUtilization: round(maxElu, 3),
    },
    hostCpuBusyPercent: round(shards[0]?.hostCpuBusyPercent ?? 0, 1),
    driverSaturated: maxElu > SATURATION || cpuPercent > SATURATION * capacity,
    ...(engine === 'autocannon'
      ? {
          autocannon: {
            inFlightAtEnd: sum((s) => s.inFlightAtEnd),
            lost: sum((s) => s.lost),
            staleLatencies: sum((s) => s.staleLatencies),
          },
        }
      : {}),
    ...(open ? { openLoop: open } : {}),
    ...(window ? { window } : {}),
  };
}
