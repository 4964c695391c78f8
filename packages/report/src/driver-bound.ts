/**
 * The driver-bound rule, one definition for the report and the orchestrator: a window is
 * driver-bound when the rate its driver had to sustain (offered, in an open loop; achieved,
 * in a closed loop) reaches `boundPct` of what its load threads can send at most against a
 * server that costs nothing (threads × the per-thread ceiling measured before the set). Near
 * that rate the figures describe the driver as much as the stack, whatever its CPU says:
 * the CPU-based `driverSaturated` misses a driver that shares its cores with the stack.
 */
import type { CycleResult } from '@stackbench/loadgen';
import type { DriverCeiling, SampleWindow } from '@stackbench/result';

/** 70 %: a closed loop at 70 % of the ceiling already loses latency to the driver's queue. */
export const DRIVER_BOUND_PCT = 70;

/**
 * One thread's ceiling for the set: the smallest over its driver hosts (the one that binds
 * first), or null when the set has none (older sets: no flag).
 */
export function perThreadCeiling(ceiling: DriverCeiling | undefined): number | null {
  const rates = (ceiling?.hosts ?? []).map((h) => h.perThreadRps).filter((r) => r > 0);
  return rates.length ? Math.min(...rates) : null;
}

/** Requests/s the driver had to sustain in the window: offered (open loop) or achieved. */
export function driverRate(
  window: Pick<SampleWindow, 'offeredRps'>,
  cycle: Pick<CycleResult, 'rps' | 'openLoop'>,
): number {
  const offered = cycle.openLoop?.offeredRps ?? window.offeredRps;
  return typeof offered === 'number' ? offered : cycle.rps.total;
}

/** The rate above which `threads` load threads are bound, or null without a ceiling. */
export function boundRate(ceiling: DriverCeiling | undefined, threads: number): number | null {
  const perThread = perThreadCeiling(ceiling);
  if (perThread === null || !ceiling) return null;
  return (ceiling.boundPct / 100) * Math.max(1, threads) * perThread;
}

export function isDriverBound(
  window: Pick<SampleWindow, 'offeredRps' | 'load'>,
  ceiling: DriverCeiling | undefined,
): boolean {
  const cycle = window.load.cycles[0];
  if (!cycle) return false;
  const limit = boundRate(ceiling, cycle.driverCpu.threads);
  return limit !== null && driverRate(window, cycle) >= limit;
}

/** Load threads that keep `rps` below the bound: what a profile's highest level needs. */
export function threadsNeeded(ceiling: DriverCeiling | undefined, rps: number): number | null {
  const one = boundRate(ceiling, 1);
  return one === null ? null : Math.max(1, Math.ceil(rps / one));
}

/** `21,587 req/s per load thread (local, 64 connections per thread)`, for the report's prose. */
export function ceilingText(ceiling: DriverCeiling): string {
  const hosts = ceiling.hosts.map(
    (h) =>
      `${Math.round(h.perThreadRps).toLocaleString('en-US')} req/s per load thread on ${h.host} (${h.connectionsPerThread} connections per thread, host CPU ${h.hostCpuBusyPercent} % busy meanwhile)`,
  );
  return hosts.join('; ');
}
