/**
 * The one merge of a cycle's parts, used both for a driver's load threads (merge.ts) and for the
 * orchestrator's driver hosts (`cyclePart` turns a host's finished cycle into a part): counts
 * summed, HDR histograms added (never percentiles averaged), rates summed (each part's counts
 * over its own window), per-second counts added, failures added. An open loop's latencies run
 * from each request's intended start in every part, so adding their histograms is exact too.
 */
import { addFailures, emptyFailures } from './failure-counts.js';
import { decode, encode, latencyStats, newHistogram } from './histogram.js';
import type { ArrivalName } from './load-options.js';
import type { CycleResult, FailureCounts, OpenLoopCycle, TimelineSample } from './result.js';

/** Below this share of the scheduled requests written, the offered rate was not achieved. */
export const RATE_ACHIEVED = 0.99;

/** One second of a part: counts, and its successes' 2-digit histogram. */
export interface PartSecond {
  requests: number;
  failures: number;
  /** HDR base64; null: no success that second; absent: not known (a finished cycle's figures). */
  histogram?: string | null;
}

/** Send lag as a finished cycle reports it: a summary, not a histogram. */
export type SendLagSummary = OpenLoopCycle['sendLagMs'];

export interface OpenLoopPart {
  scheduled: number;
  written: number;
  delayed: number;
  waitingAtEnd: number;
  peakConnections: number;
  /** HDR base64 (µs) of the service times. */
  serviceHistogram: string;
  /** HDR base64 (µs) of intended → written; a finished cycle has only its summary. */
  sendLag: string | SendLagSummary;
}

/** What one part (a load thread's shard, a driver host's cycle) brings to the merge. */
export interface LoadPart {
  /** This part's measured seconds: its rates are its counts over them. */
  windowS: number;
  requests: CycleResult['requests'];
  failures: FailureCounts;
  /** HDR base64 (µs, 3 digits) of its successes' latencies. */
  histogram: string;
  bytes: number;
  timeline: PartSecond[];
  openLoop?: OpenLoopPart;
}

/** What an open-loop cycle is beyond its parts: the whole rate and pool. */
export interface OpenLoopCycleSpec {
  arrivals: ArrivalName;
  offeredRps: number;
  connections: number;
  maxConnections: number;
}

/** The merged fields of a `CycleResult` (the rest: users, driver health, is the caller's). */
export type MergedLoad = Pick<
  CycleResult,
  | 'durationS'
  | 'requests'
  | 'rps'
  | 'latencyMs'
  | 'failures'
  | 'bytesPerS'
  | 'inFlightAtEnd'
  | 'timeline'
  | 'histogram'
  | 'openLoop'
>;

const round = (value: number, digits: number) => {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
};

/** Σ of each part's count over its own window, per second. */
const rate = (parts: LoadPart[], pick: (p: LoadPart) => number) =>
  parts.reduce((n, p) => n + (p.windowS > 0 ? pick(p) / p.windowS : 0), 0);

function mergeTimeline(parts: LoadPart[]): TimelineSample[] {
  const length = Math.max(0, ...parts.map((p) => p.timeline.length));
  return Array.from({ length }, (_, second) => {
    const histogram = newHistogram(2);
    let requests = 0;
    let failures = 0;
    let known = true;
    for (const part of parts) {
      const bucket = part.timeline[second];
      if (!bucket) continue;
      requests += bucket.requests;
      failures += bucket.failures;
      if (bucket.histogram === undefined) known = false;
      else if (bucket.histogram) histogram.add(decode(bucket.histogram));
    }
    // a part whose per-second histogram is not known would be left out of the percentiles
    const empty = !known || histogram.totalCount === 0;
    const at = (p: number) => (empty ? null : histogram.getValueAtPercentile(p) / 1000);
    return { second, requests, failures, p50Ms: at(50), p95Ms: at(95) };
  });
}

/**
 * Send lag: exact when every part brings its histogram; from finished cycles' summaries, the
 * counts add, the max is the largest, and p50/p99 are the largest part's: a quantile of a union
 * is never above its parts' largest, so they are upper bounds (the README says so).
 */
function mergeSendLag(parts: OpenLoopPart[]): SendLagSummary {
  if (parts.every((p) => typeof p.sendLag === 'string')) {
    const h = newHistogram(3);
    for (const p of parts) h.add(decode(p.sendLag as string));
    const lag = latencyStats(h);
    return { count: lag.count ?? 0, p50: lag.p50, p99: lag.p99, max: lag.max };
  }
  const all = parts.map((p) => p.sendLag as SendLagSummary);
  const top = (pick: (s: SendLagSummary) => number) => Math.max(0, ...all.map(pick));
  return {
    count: all.reduce((n, s) => n + s.count, 0),
    p50: top((s) => s.p50),
    p99: top((s) => s.p99),
    max: top((s) => s.max),
  };
}

function mergeOpenLoop(spec: OpenLoopCycleSpec, parts: LoadPart[]): OpenLoopCycle {
  const open = parts.flatMap((p) => (p.openLoop ? [p.openLoop] : []));
  const service = newHistogram(3);
  for (const o of open) service.add(decode(o.serviceHistogram));
  const sum = (pick: (o: OpenLoopPart) => number) => open.reduce((n, o) => n + pick(o), 0);
  const scheduled = sum((o) => o.scheduled);
  const written = sum((o) => o.written);
  return {
    arrivals: spec.arrivals,
    offeredRps: spec.offeredRps,
    scheduled,
    scheduledRps: round(
      rate(parts, (p) => p.openLoop?.scheduled ?? 0),
      2,
    ),
    written,
    achievedRps: round(
      rate(parts, (p) => p.openLoop?.written ?? 0),
      2,
    ),
    rateAchieved: written >= RATE_ACHIEVED * scheduled,
    delayed: sum((o) => o.delayed),
    waitingAtEnd: sum((o) => o.waitingAtEnd),
    sendLagMs: mergeSendLag(open),
    connections: {
      initial: spec.connections,
      limit: spec.maxConnections,
      peak: sum((o) => o.peakConnections),
    },
    serviceTimeMs: latencyStats(service),
    serviceTimeHistogram: encode(service),
  };
}

export function mergeParts(parts: LoadPart[], openLoop?: OpenLoopCycleSpec): MergedLoad {
  const histogram = newHistogram(3);
  const failures = emptyFailures();
  for (const part of parts) {
    histogram.add(decode(part.histogram));
    addFailures(failures, part.failures);
  }
  const sum = (pick: (p: LoadPart) => number) => parts.reduce((n, p) => n + pick(p), 0);
  const inFlightAtEnd = sum((p) => p.requests.inFlightAtEnd);
  return {
    durationS: round(Math.max(0, ...parts.map((p) => p.windowS)), 3),
    requests: {
      sent: sum((p) => p.requests.sent),
      carriedIn: sum((p) => p.requests.carriedIn),
      succeeded: sum((p) => p.requests.succeeded),
      failed: sum((p) => p.requests.failed),
      inFlightAtEnd,
    },
    rps: {
      successful: round(
        rate(parts, (p) => p.requests.succeeded),
        2,
      ),
      total: round(
        rate(parts, (p) => p.requests.succeeded + p.requests.failed),
        2,
      ),
    },
    latencyMs: latencyStats(histogram),
    failures,
    bytesPerS: Math.round(rate(parts, (p) => p.bytes)),
    inFlightAtEnd,
    timeline: mergeTimeline(parts),
    histogram: encode(histogram),
    ...(openLoop ? { openLoop: mergeOpenLoop(openLoop, parts) } : {}),
  };
}

/** A driver host's finished cycle as a part (its per-second histograms are not in it). */
export function cyclePart(cycle: CycleResult): LoadPart {
  const o = cycle.openLoop;
  return {
    windowS: cycle.durationS,
    requests: cycle.requests,
    failures: cycle.failures,
    histogram: cycle.histogram,
    bytes: cycle.bytesPerS * cycle.durationS,
    timeline: cycle.timeline.map((s) => ({
      requests: s.requests,
      failures: s.failures,
      ...(s.p50Ms === null ? { histogram: null } : {}),
    })),
    ...(o
      ? {
          openLoop: {
            scheduled: o.scheduled,
            written: o.written,
            delayed: o.delayed,
            waitingAtEnd: o.waitingAtEnd,
            peakConnections: o.connections.peak,
            serviceHistogram: o.serviceTimeHistogram,
            sendLag: o.sendLagMs,
          },
        }
      : {}),
  };
}
