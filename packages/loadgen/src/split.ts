/**
 * The one split of a load into parts, used both for a driver's load threads (cycle-runner.ts)
 * and for the orchestrator's driver hosts (`splitLoad`), so that threads and hosts divide a
 * cycle the same way: users (closed loop) as evenly as whole users go; in an open loop the
 * arrival rate in equal shares that take turns on the whole rate's grid, and the connections as
 * users. Merging the parts back is merge-parts.ts.
 */
import { LoadOptionError } from './errors.js';
import {
  type AnyLoadOptions,
  type ArrivalName,
  isOpenLoop,
  type LoadOptions,
  type OpenLoopOptions,
} from './load-options.js';
import { DEFAULT_OPEN_LOOP_OPTIONS, openLoopLimit } from './open-loop/defaults.js';

/** `total` whole units over `parts`: the first parts take one more when it does not divide. */
export function splitUsers(total: number, parts: number): number[] {
  const base = Math.floor(total / parts);
  return Array.from({ length: parts }, (_, i) => base + (i < total % parts ? 1 : 0));
}

/** One part's share of an open loop's arrivals. */
export interface RateShare {
  /** Requests/s of this part: the rate over the parts, so the shares add up to the rate. */
  ratePerS: number;
  /**
   * This part's first intended time after the common start, ms. Uniform shares take turns on
   * the whole rate's grid (part i sends slots i, i + parts, …), so that together they are the
   * one-part schedule exactly, not `parts` requests at once; Poisson shares are independent
   * processes (their sum is Poisson at the whole rate) and start at once.
   */
  phaseMs: number;
}

export function splitRate(rate: number, parts: number, arrivals: ArrivalName): RateShare[] {
  return Array.from({ length: parts }, (_, i) => ({
    ratePerS: rate / parts,
    phaseMs: arrivals === 'uniform' ? (i * 1000) / rate : 0,
  }));
}

/** One part of a split load: its options (one cycle), its users (or initial connections). */
export interface LoadShare {
  options: AnyLoadOptions;
  users: number;
  /** Start this part this long after the common start, ms (`RateShare.phaseMs`; 0 closed). */
  phaseMs: number;
}

/** How many parts an open loop can feed: each needs a connection to start from. */
export const openLoopParts = (connections: number, parts: number) => Math.min(parts, connections);

/**
 * A one-cycle load split over `parts` (driver hosts). A part whose share is nothing (fewer
 * users, or connections, than parts) is null: it sits the cycle out. Each part keeps at most as
 * many threads as it has users or connections.
 */
export function splitLoad(options: AnyLoadOptions, parts: number): (LoadShare | null)[] {
  const loads = isOpenLoop(options) ? options.rates : options.cycles;
  if (loads.length !== 1) {
    throw new LoadOptionError(
      isOpenLoop(options) ? 'rates' : 'cycles',
      `a split load is one cycle, got ${loads.length} (${loads.join(':')})`,
    );
  }
  if (!Number.isInteger(parts) || parts < 1) {
    throw new LoadOptionError('parts', `a load splits into 1 or more parts, got ${parts}`);
  }
  if (!isOpenLoop(options)) return splitClosed(options, loads[0] as number, parts);
  return splitOpen(options, loads[0] as number, parts);
}

function splitClosed(options: LoadOptions, users: number, parts: number): (LoadShare | null)[] {
  return splitUsers(users, parts).map((n) =>
    n === 0
      ? null
      : {
          options: { ...options, cycles: [n], threads: Math.min(options.threads, n) },
          users: n,
          phaseMs: 0,
        },
  );
}

function splitOpen(options: OpenLoopOptions, rate: number, parts: number): (LoadShare | null)[] {
  const active = openLoopParts(options.connections, parts);
  const arrivals = options.arrivals ?? DEFAULT_OPEN_LOOP_OPTIONS.arrivals;
  const rates = splitRate(rate, active, arrivals);
  const connections = splitUsers(options.connections, active);
  const limits = splitUsers(openLoopLimit(options), active);
  return Array.from({ length: parts }, (_, i) => {
    const share = rates[i];
    const n = connections[i] ?? 0;
    if (!share || n === 0) return null;
    const part: OpenLoopOptions = {
      ...options,
      rates: [share.ratePerS],
      connections: n,
      maxConnections: limits[i] as number,
      arrivals,
      threads: Math.min(options.threads, n),
    };
    return { options: part, users: n, phaseMs: share.phaseMs };
  });
}
