/**
 * The driver hosts' results of one window merged into one load document, exactly: counts are
 * summed, latency histograms added (HDR, never percentiles averaged), rates summed (each host's
 * completions over its own window; the windows coincide within the start error). Per second,
 * counts add up; the per-second percentiles cannot be merged from the hosts' figures and are
 * null (each host's own timeline stays in `drivers`). Each host's health is kept beside.
 */
import {
  addFailures,
  type CycleResult,
  emptyFailures,
  type FailureCounts,
  type LoadResult,
  type TimelineSample,
} from '@stackbench/loadgen';
import { decode, encode, latencyStats, newHistogram } from '@stackbench/loadgen/histogram';
import type { ClockReading } from './clock.js';

/** One driver host's part of a window, as recorded with the merged document. */
export interface DriverShare {
  name: string;
  users: number;
  /** How late the host started the window on its own clock, ms. */
  startLagMs: number;
  clock: ClockReading;
  complete: boolean;
  saturated: boolean;
  hostCpuBusyPercent: number;
  requests: CycleResult['requests'];
  rpsSuccessful: number;
}

export type MergedLoadResult = LoadResult & { drivers: DriverShare[] };

export interface DriverPart {
  name: string;
  users: number;
  lagMs: number;
  clock: ClockReading;
  result: LoadResult;
}

function sumFailures(all: FailureCounts[]): FailureCounts {
  const out = emptyFailures();
  for (const f of all) addFailures(out, f);
  return out;
}

function mergeTimeline(cycles: CycleResult[]): TimelineSample[] {
  const length = Math.max(...cycles.map((c) => c.timeline.length));
  return Array.from({ length }, (_, second) => {
    let requests = 0;
    let failures = 0;
    for (const c of cycles) {
      requests += c.timeline[second]?.requests ?? 0;
      failures += c.timeline[second]?.failures ?? 0;
    }
    return { second, requests, failures, p50Ms: null, p95Ms: null };
  });
}

const round = (v: number, digits: number) => Math.round(v * 10 ** digits) / 10 ** digits;

export function mergeCycles(cycles: CycleResult[]): CycleResult {
  const histogram = newHistogram(3);
  for (const c of cycles) histogram.add(decode(c.histogram));
  const sum = (pick: (c: CycleResult) => number) => cycles.reduce((n, c) => n + pick(c), 0);
  const inFlightAtEnd = sum((c) => c.requests.inFlightAtEnd);
  return {
    users: sum((c) => c.users),
    durationS: Math.max(...cycles.map((c) => c.durationS)),
    requests: {
      sent: sum((c) => c.requests.sent),
      carriedIn: sum((c) => c.requests.carriedIn),
      succeeded: sum((c) => c.requests.succeeded),
      failed: sum((c) => c.requests.failed),
      inFlightAtEnd,
    },
    rps: {
      successful: round(
        sum((c) => c.rps.successful),
        2,
      ),
      total: round(
        sum((c) => c.rps.total),
        2,
      ),
    },
    latencyMs: latencyStats(histogram),
    failures: sumFailures(cycles.map((c) => c.failures)),
    bytesPerS: sum((c) => c.bytesPerS),
    inFlightAtEnd,
    driverCpu: {
      percent: round(
        sum((c) => c.driverCpu.percent),
        1,
      ),
      threads: sum((c) => c.driverCpu.threads),
      maxEventLoopUtilization: Math.max(...cycles.map((c) => c.driverCpu.maxEventLoopUtilization)),
    },
    // the busiest driver host: near 100 the figures are bounded by a driver
    hostCpuBusyPercent: Math.max(...cycles.map((c) => c.hostCpuBusyPercent)),
    driverSaturated: cycles.some((c) => c.driverSaturated),
    timeline: mergeTimeline(cycles),
    histogram: encode(histogram),
  };
}

/** One document for the window: the full options, the merged cycle, each host's share. */
export function mergeDriverResults(
  options: LoadResult['options'],
  parts: DriverPart[],
): MergedLoadResult {
  const first = parts[0] as DriverPart;
  const cycles = parts.map((p) => p.result.cycles[0]).filter((c): c is CycleResult => !!c);
  const complete = parts.every((p) => p.result.complete && p.result.cycles.length === 1);
  return {
    ...first.result,
    options,
    startedAt: parts.map((p) => p.result.startedAt).sort()[0] as string,
    endedAt: parts
      .map((p) => p.result.endedAt)
      .sort()
      .at(-1) as string,
    complete,
    cycles: complete ? [mergeCycles(cycles)] : [],
    drivers: parts.map((p) => {
      const c = p.result.cycles[0];
      return {
        name: p.name,
        users: p.users,
        startLagMs: p.lagMs,
        clock: p.clock,
        complete: p.result.complete,
        saturated: c?.driverSaturated ?? false,
        hostCpuBusyPercent: c?.hostCpuBusyPercent ?? 0,
        requests: c?.requests ?? {
          sent: 0,
          carriedIn: 0,
          succeeded: 0,
          failed: 0,
          inFlightAtEnd: 0,
        },
        rpsSuccessful: c?.rps.successful ?? 0,
      };
    }),
  };
}
