/** Defaults of an open-loop run (the CLI shows the same), and the pool limit they imply. */
import type { ArrivalName, OpenLoopOptions } from '../load-options.js';

export const DEFAULT_OPEN_LOOP_OPTIONS = {
  /** wrk's and wrk2's default `-c`. */
  connections: 10,
  /**
   * Enough to keep sending at 1,000 requests/s through a one-second stall; a cap, not a
   * target: connections are only added when every one is busy at an intended time.
   */
  maxConnections: 1000,
  arrivals: 'uniform' as ArrivalName,
} as const;

/** The pool's limit: `maxConnections`, by default the larger of the default and `connections`. */
export function openLoopLimit(options: Pick<OpenLoopOptions, 'connections' | 'maxConnections'>) {
  return (
    options.maxConnections ??
    Math.max(options.connections, DEFAULT_OPEN_LOOP_OPTIONS.maxConnections)
  );
}
