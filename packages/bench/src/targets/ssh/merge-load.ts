/**
 * The driver hosts' results of one window as one load document: the cycle is loadgen's merge of
 * the hosts' cycles (`mergeParts`: counts summed, HDR histograms added, rates summed, exact also
 * for an open loop's latencies from intended starts); what is about hosts is here: each host's
 * share record (its users, start lag, clock reading, health, counts, histogram) and the hosts'
 * health summed up (CPU summed, the busiest host, any saturated). Per-second percentiles cannot
 * be merged from the hosts' figures and are null (each host's histogram stays in `drivers`).
 */
import {
  type AnyLoadOptions,
  type CycleResult,
  cyclePart,
  DEFAULT_OPEN_LOOP_OPTIONS,
  isOpenLoop,
  type LoadResult,
  mergeParts,
  type OpenLoopCycleSpec,
  openLoopLimit,
} from '@stackbench/loadgen';
import type { ClockReading } from './clock.js';

/** One driver host's part of a window, as recorded with the merged document. */
export interface DriverShare {
  name: string;
  /** Its users (closed loop) or initial connections (open loop). */
  users: number;
  /** Open loop: its share of the rate, requests/s. */
  offeredRps?: number;
  /** How late the host started the window on its own clock, ms. */
  startLagMs: number;
  clock: ClockReading;
  complete: boolean;
  saturated: boolean;
  hostCpuBusyPercent: number;
  requests: CycleResult['requests'];
  rpsSuccessful: number;
  /** Its latency histogram (HDR base64, µs): the merged one is these added. */
  histogram?: string;
}

export type MergedLoadResult = LoadResult & { drivers: DriverShare[] };

export interface DriverPart {
  name: string;
  users: number;
  lagMs: number;
  clock: ClockReading;
  result: LoadResult;
}

const round = (v: number, digits: number) => Math.round(v * 10 ** digits) / 10 ** digits;

/** The whole window's open loop, from the options before the split. */
function openLoopSpec(options: AnyLoadOptions): OpenLoopCycleSpec | undefined {
  if (!isOpenLoop(options)) return undefined;
  return {
    arrivals: options.arrivals ?? DEFAULT_OPEN_LOOP_OPTIONS.arrivals,
    offeredRps: options.rates[0] as number,
    connections: options.connections,
    maxConnections: openLoopLimit(options),
  };
}

/** The hosts' cycles as one: loadgen's merge, plus the hosts' health. */
export function mergeCycles(cycles: CycleResult[], options: AnyLoadOptions): CycleResult {
  const merged = mergeParts(cycles.map(cyclePart), openLoopSpec(options));
  const { openLoop, ...rest } = merged;
  return {
    users: cycles.reduce((n, c) => n + c.users, 0),
    ...rest,
    driverCpu: {
      percent: round(
        cycles.reduce((n, c) => n + c.driverCpu.percent, 0),
        1,
      ),
      threads: cycles.reduce((n, c) => n + c.driverCpu.threads, 0),
      maxEventLoopUtilization: Math.max(...cycles.map((c) => c.driverCpu.maxEventLoopUtilization)),
    },
    // the busiest driver host: near 100 the figures are bounded by a driver
    hostCpuBusyPercent: Math.max(...cycles.map((c) => c.hostCpuBusyPercent)),
    driverSaturated: cycles.some((c) => c.driverSaturated),
    ...(openLoop ? { openLoop } : {}),
  };
}

const NO_REQUESTS = { sent: 0, carriedIn: 0, succeeded: 0, failed: 0, inFlightAtEnd: 0 };

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
    cycles: complete ? [mergeCycles(cycles, options)] : [],
    drivers: parts.map((p) => {
      const c = p.result.cycles[0];
      const offered = c?.openLoop?.offeredRps;
      return {
        name: p.name,
        users: p.users,
        ...(offered === undefined ? {} : { offeredRps: offered }),
        startLagMs: p.lagMs,
        clock: p.clock,
        complete: p.result.complete,
        saturated: c?.driverSaturated ?? false,
        hostCpuBusyPercent: c?.hostCpuBusyPercent ?? 0,
        requests: c?.requests ?? NO_REQUESTS,
        rpsSuccessful: c?.rps.successful ?? 0,
        ...(c ? { histogram: c.histogram } : {}),
      };
    }),
  };
}
