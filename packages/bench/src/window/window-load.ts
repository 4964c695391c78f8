/**
 * What the load driver is asked for in a window: closed-loop users (fresh ones, so fresh
 * connections), or, in an open loop, a constant rate on a pool of connections.
 */
import type { LoadOptions, OpenLoopOptions } from '@stackbench/loadgen';
import type { ConnectionMode, ProfileSettings, WorkloadName } from '@stackbench/result';
import { workloadRequest } from '../session/app-expectations.js';

/** How a window loads: its users' connection mode, its workload, whether it is sized. */
export interface WindowShape {
  connection?: ConnectionMode;
  /** Default: seed (the profile's app at `/`). */
  workload?: WorkloadName;
  sized?: boolean;
}

/**
 * The load driver's options for one window of `cus` users (fresh users, so fresh connections)
 * on the stack at `baseUrl`, requesting the workload's path. `sized`: a sample window sized by
 * the cell's response time (the profile's `windowSizing`); warm-ups and capacity windows keep
 * their fixed lengths.
 */
export function windowLoadOptions(
  settings: ProfileSettings,
  baseUrl: string,
  cus: number,
  { connection = 'keep-alive', workload = 'seed', sized = false }: WindowShape = {},
): LoadOptions {
  const { path, expect } = workloadRequest(settings, workload);
  const sizing = sized ? settings.windowSizing : undefined;
  return {
    // the seed's workload loads the stack's own ready URL, as every set before workloads did
    url: workload === 'seed' ? baseUrl : new URL(path, baseUrl).href,
    cycles: [cus],
    durationS: settings.durationS,
    warmupS: settings.cycleWarmupS,
    startupDelayS: 0,
    cyclePauseS: 0,
    sleepTimeS: 0,
    connection,
    timeoutS: settings.requestTimeoutS,
    expectStatus: expect.status,
    expectBody: expect.body.source,
    threads: settings.loadThreads,
    ...(sizing ? { adaptive: { ...sizing } } : {}),
  };
}

/** The load driver's options for one open-loop window offering `rate` requests/s. */
export function openWindowOptions(
  settings: ProfileSettings,
  baseUrl: string,
  rate: number,
  shape: Omit<WindowShape, 'sized'> = {},
): OpenLoopOptions {
  const {
    cycles: _cycles,
    startupDelayS: _d,
    sleepTimeS: _t,
    ...common
  } = windowLoadOptions(settings, baseUrl, 1, shape);
  return { ...common, rates: [rate], connections: settings.openConnections ?? 10 };
}

/** The rate a window at `level` offers: null for a closed loop (the level is users). */
export function offeredRate(
  settings: ProfileSettings,
  level: number,
  capacityRps: number | null | undefined,
): number | null {
  if (settings.ratesOfCapacity?.length) {
    if (!capacityRps) throw new Error('no capacity measured in this round');
    return Math.round(level * capacityRps * 10) / 10;
  }
  return settings.rates?.length ? level : null;
}
