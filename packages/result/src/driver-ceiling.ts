/**
 * The load driver's own ceiling, measured once per set on each driver host before any load
 * (`stackbench-load --ceiling` against its null server on that host's loopback): the rate a
 * cell's load is held against to say the driver, not the stack, bounded it.
 */
import { type Static, Type } from '@sinclair/typebox';

/** One driver host's ceiling: requests/s its load threads sustain when the server costs nothing. */
export const HostCeilingSchema = Type.Object({
  /** `local` (this host, the in-process driver) or the driver host's name in the hosts file. */
  host: Type.String(),
  /** Requests/s of one load thread, and over the `threads` measured. */
  perThreadRps: Type.Number(),
  rps: Type.Number(),
  threads: Type.Number(),
  connectionsPerThread: Type.Number(),
  durationS: Type.Number(),
  serverProcesses: Type.Number(),
  driverCpuPercent: Type.Number(),
  maxEventLoopUtilization: Type.Number(),
  /** How busy the host was meanwhile: a busy host lowers the ceiling it measures. */
  hostCpuBusyPercent: Type.Number(),
  at: Type.String(),
});
export type HostCeiling = Static<typeof HostCeilingSchema>;

export const DriverCeilingSchema = Type.Object({
  /**
   * A window is driver-bound when its rate (offered in an open loop, achieved in a closed one)
   * reaches this percentage of its threads × the per-thread ceiling.
   */
  boundPct: Type.Number(),
  hosts: Type.Array(HostCeilingSchema),
});
export type DriverCeiling = Static<typeof DriverCeilingSchema>;
