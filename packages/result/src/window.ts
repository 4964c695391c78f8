/**
 * One sample window of a stack result: fresh connections, `cus` users, the load driver's document
 * for it, and what the stack's processes and the host did meanwhile.
 */
import { type Static, Type } from '@sinclair/typebox';
import type { LoadResult } from '@stackbench/loadgen';
import { Nullable } from './nullable.js';
import { ConnectionModeSchema, WorkloadNameSchema } from './settings.js';

/** One second of the stack's processes while loading. */
export const ServerSampleSchema = Type.Object({
  /** Seconds since the load started. */
  t: Type.Number(),
  cpuPct: Type.Number(),
  rssMb: Type.Number(),
  processes: Type.Number(),
  /** Processes that exited since the stack became ready (restarts, if the stack respawns). */
  restarts: Type.Number(),
  /** Connections waiting in the listen socket's accept queue; null where it cannot be read. */
  acceptQueue: Nullable(Type.Number()),
});
export type ServerSample = Static<typeof ServerSampleSchema>;

/** One worker process of the stack during a window: its connections and the CPU it used. */
export const WorkerShareSchema = Type.Object({
  pid: Type.Number(),
  /** Established connections on the load's port held by this process (from `ss -tnp`, mid-window). */
  connections: Type.Number(),
  /** CPU time used over the window, ms (utime + stime from /proc). */
  cpuMs: Type.Number(),
});
export type WorkerShare = Static<typeof WorkerShareSchema>;

/** How one window's load spread over the stack's workers. */
export const WindowBalanceSchema = Type.Object({
  workers: Type.Array(WorkerShareSchema),
  /** Jain's fairness index of connections per worker (1 = even, 1/n = one holds all); null when none. */
  connectionsJain: Nullable(Type.Number()),
  /** Jain's fairness index of CPU time per worker. */
  cpuJain: Nullable(Type.Number()),
});
export type WindowBalance = Static<typeof WindowBalanceSchema>;

/**
 * The host during a window's measured part. CPU figures are shares of all the host's CPU time
 * (every core: 100 %), from /proc: steal from /proc/stat, the stack's and the driver's processes
 * from /proc/PID/stat, foreign = busy − stack − driver (never below 0).
 */
export const WindowNoiseSchema = Type.Object({
  seconds: Type.Number(),
  stealPct: Type.Number(),
  foreignCpuPct: Type.Number(),
  driverCpuPct: Type.Number(),
  stackCpuPct: Type.Number(),
  /** Runnable tasks (/proc/stat procs_running), mean and max of the readings. */
  runQueue: Type.Number(),
  runQueueMax: Type.Number(),
  /** Why the window counts as disturbed (empty: it does not). */
  disturbed: Type.Array(Type.String()),
});
export type WindowNoise = Static<typeof WindowNoiseSchema>;

/**
 * The `db` workload's database during a window's measured part: the CPU of all its processes
 * (postmaster and backends, from /proc) and the client connections it held (backends serving a
 * client), read at the start, the middle and the end. A database on another host (named in the
 * hosts file) has no CPU figures: this host cannot read them.
 */
export const WindowDatabaseSchema = Type.Object({
  cpuMs: Type.Optional(Type.Number()),
  /** CPU share of all the host's CPU time (every core: 100 %), as in `WindowNoise`. */
  cpuPct: Type.Optional(Type.Number()),
  connections: Type.Number(),
  connectionsMax: Type.Number(),
});
export type WindowDatabase = Static<typeof WindowDatabaseSchema>;

/**
 * The load driver's document, declared by loadgen (`LOAD_RESULT_SCHEMAS`), not here: an object
 * typed as loadgen's `LoadResult`; its schema and its one cycle are checked in load-checks.ts.
 */
export const EmbeddedLoadSchema = Type.Unsafe<LoadResult>(Type.Object({}));

/** One sample window: fresh connections, `cus` users, the load driver's document for it. */
export const SampleWindowSchema = Type.Object({
  /** Users (closed loop) or the pool's initial connections (open loop). */
  cus: Type.Number(),
  /**
   * The cell this window samples: CUs (closed loop), the offered rate (`rates`) or the fraction
   * of capacity (`ratesOfCapacity`). Absent in closed-loop sets: `cus`.
   */
  level: Type.Optional(Type.Number()),
  /** Open loop: the rate offered in this window, requests/s. */
  offeredRps: Type.Optional(Nullable(Type.Number())),
  /** The users' connection mode (absent: keep-alive). */
  connection: Type.Optional(ConnectionModeSchema),
  /** The work each request asked for (absent: seed, the only workload of older sets). */
  workload: Type.Optional(WorkloadNameSchema),
  /** Position in the set's order (`Method.order`), 0-based. */
  seq: Type.Number(),
  startedAt: Type.String(),
  /** The load driver's document for this window (one cycle), embedded unchanged. */
  load: EmbeddedLoadSchema,
  /** null where the workers could not be observed (not Linux, no `ss`). */
  balance: Nullable(WindowBalanceSchema),
  /**
   * CPU time of all the stack's processes over the measured part, ms (utime + stime from
   * /proc); with the window's requests, the stack's CPU per request. Absent in older sets.
   */
  serverCpuMs: Type.Optional(Nullable(Type.Number())),
  server: Type.Array(ServerSampleSchema),
  /** What else used the host's CPU during the measured part (absent in older sets). */
  noise: Type.Optional(Nullable(WindowNoiseSchema)),
  /** The database's CPU and connections, in windows of the `db` workload (absent otherwise). */
  database: Type.Optional(Nullable(WindowDatabaseSchema)),
  /** `seq` of the window that re-ran this disturbed one; such a window is kept, not counted. */
  replacedBy: Type.Optional(Type.Number()),
});
export type SampleWindow = Static<typeof SampleWindowSchema>;
