/**
 * Merges the open-loop part of a cycle's shards into `CycleResult.openLoop`: counts summed,
 * histograms added (service time, send lag), never percentiles averaged.
 */
import { decode, encode, latencyStats, newHistogram } from '../histogram.js';
import type { ArrivalName } from '../load-options.js';
import type { OpenLoopCycle } from '../result.js';
import type { ShardResult } from '../shard-types.js';

/** Below this share of the scheduled requests written, the offered rate was not achieved. */
export const RATE_ACHIEVED = 0.99;

/** What the cycle runner knows of the cycle beyond its shards. */
export interface OpenLoopCycleSpec {
  arrivals: ArrivalName;
  offeredRps: number;
  connections: number;
  maxConnections: number;
}

const round = (value: number, digits: number) => {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
};

export function mergeOpenLoop(
  spec: OpenLoopCycleSpec,
  shards: ShardResult[],
  durationS: number,
): OpenLoopCycle {
  const service = newHistogram(3);
  const sendLag = newHistogram(3);
  let written = 0;
  let delayed = 0;
  let waitingAtEnd = 0;
  let peak = 0;
  for (const shard of shards) {
    const o = shard.openLoop;
    if (!o) continue;
    service.add(decode(o.serviceHistogram));
    sendLag.add(decode(o.sendLagHistogram));
    written += o.written;
    delayed += o.delayed;
    waitingAtEnd += o.waitingAtEnd;
    peak += o.peakConnections;
  }
  const scheduled = shards.reduce((n, s) => n + s.sentInWindow, 0);
  const lag = latencyStats(sendLag);
  return {
    arrivals: spec.arrivals,
    offeredRps: spec.offeredRps,
    scheduled,
    scheduledRps: round(scheduled / durationS, 2),
    written,
    achievedRps: round(written / durationS, 2),
    rateAchieved: written >= RATE_ACHIEVED * scheduled,
    delayed,
    waitingAtEnd,
    sendLagMs: { count: lag.count ?? 0, p50: lag.p50, p99: lag.p99, max: lag.max },
    connections: { initial: spec.connections, limit: spec.maxConnections, peak },
    serviceTimeMs: latencyStats(service),
    serviceTimeHistogram: encode(service),
  };
}
