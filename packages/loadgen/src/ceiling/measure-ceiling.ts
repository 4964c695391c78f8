/**
 * The driver's own ceiling: how many requests/s one load thread sends and completes when the
 * server costs nothing (the null server), closed loop, keep-alive, `connections` spread over
 * `threads`. The figure a cell's rate is held against to say the driver, not the stack, was the
 * bound (the report's driver-bound flag). Bounded in time; the server's processes and the
 * driver's threads are gone when it resolves or rejects.
 */
import os from 'node:os';
import { CeilingError } from '../errors.js';
import { DEFAULT_LOAD_OPTIONS, runLoad } from '../run-load.js';
import { startNullServer } from './null-server.js';

export interface CeilingOptions {
  threads: number;
  /** Connections in all (users of the closed loop), spread over the threads; >= threads. */
  connections: number;
  /** Measured seconds, after `warmupS` uncounted. */
  durationS: number;
  warmupS: number;
  /** Null-server processes; default: `defaultServerProcesses(threads)`. */
  serverProcesses?: number;
}

/** The record a set keeps (manifest `driverCeiling`), also the CLI's JSON. */
export interface DriverCeiling {
  /** Requests/s over all threads, and per thread. */
  rps: number;
  perThreadRps: number;
  threads: number;
  connections: number;
  connectionsPerThread: number;
  durationS: number;
  serverProcesses: number;
  /** The driver's process CPU (100 = one core) and busiest event loop over the window. */
  driverCpuPercent: number;
  maxEventLoopUtilization: number;
  hostCpuBusyPercent: number;
  /** As loadgen flags a cycle: at the ceiling this is expected to be true. */
  driverSaturated: boolean;
  /** When it was measured, ISO. */
  at: string;
}

/** 64 connections per thread, 0.5 s warm-up, 1.5 s measured: about 3 s with the starts. */
export const DEFAULT_CEILING_OPTIONS = {
  threads: 1,
  connectionsPerThread: 64,
  durationS: 1.5,
  warmupS: 0.5,
} as const;

/**
 * Two null-server processes per driver thread where the cores allow, else the cores the driver
 * leaves, at least one: one process answers about as many requests per CPU-second as one driver
 * thread sends (README, Benchmark), so one each would make the server the bound.
 */
export function defaultServerProcesses(threads: number): number {
  return Math.max(1, Math.min(2 * threads, os.availableParallelism() - threads));
}

const round = (v: number, digits: number) => Math.round(v * 10 ** digits) / 10 ** digits;

export async function measureCeiling(
  options: CeilingOptions,
  signal?: AbortSignal,
): Promise<DriverCeiling> {
  const serverProcesses = options.serverProcesses ?? defaultServerProcesses(options.threads);
  const server = await startNullServer(serverProcesses);
  try {
    const result = await runLoad(
      {
        ...DEFAULT_LOAD_OPTIONS,
        url: server.url,
        cycles: [options.connections],
        durationS: options.durationS,
        warmupS: options.warmupS,
        // the driver's own engine, on keep-alive connections: what a window runs
        connection: 'keep-alive',
        threads: options.threads,
        engine: 'native',
      },
      signal ? { signal } : {},
    );
    const cycle = result.cycles[0];
    if (!cycle) throw new CeilingError('interrupted before its window ended; nothing measured');
    const rps = cycle.rps.successful;
    return {
      rps: round(rps, 1),
      perThreadRps: round(rps / options.threads, 1),
      threads: options.threads,
      connections: options.connections,
      connectionsPerThread: round(options.connections / options.threads, 1),
      durationS: round(cycle.durationS, 3),
      serverProcesses,
      driverCpuPercent: cycle.driverCpu.percent,
      maxEventLoopUtilization: cycle.driverCpu.maxEventLoopUtilization,
      hostCpuBusyPercent: cycle.hostCpuBusyPercent,
      driverSaturated: cycle.driverSaturated,
      at: result.startedAt,
    };
  } finally {
    await server.close();
  }
}
