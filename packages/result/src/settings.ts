/** The profile as it ran (after overrides), `manifest.profile.settings`; its hash decides what is comparable. */
import { type Static, Type } from '@sinclair/typebox';
import { Nullable } from './nullable.js';

export const ConnectionModeSchema = Type.Union([Type.Literal('keep-alive'), Type.Literal('close')]);
export type ConnectionMode = Static<typeof ConnectionModeSchema>;

/**
 * The work each request asks of the app, each workload its own cells (like connection modes):
 * `seed` (the seed's bench app: CPU, a sleep, small synchronous writes; any path but the others),
 * `plaintext` (`GET /plaintext`: a fixed short body), `json` (`GET /json`: a small object
 * serialized per request), `db` (`GET /db?queries=N`: N rows read from PostgreSQL through each
 * worker's pool). Absent from a set: seed only.
 */
export const WorkloadNameSchema = Type.Union([
  Type.Literal('seed'),
  Type.Literal('plaintext'),
  Type.Literal('json'),
  Type.Literal('db'),
]);
export type WorkloadName = Static<typeof WorkloadNameSchema>;

/** The `db` workload's database: a private PostgreSQL cluster the set runs (or a named one). */
export const DatabaseSettingsSchema = Type.Object({
  /** Connections in each worker's pool. */
  poolSize: Type.Number(),
  /** Queries per request (`/db?queries=N`). */
  queries: Type.Number(),
  /** Rows of the `world` table the orchestrator creates and fills. */
  rows: Type.Number(),
});
export type DatabaseSettings = Static<typeof DatabaseSettingsSchema>;

export const WindowSizingSettingsSchema = Type.Object({
  responsesPerUser: Type.Number(),
  minRequests: Type.Number(),
  maxDurationS: Type.Number(),
  maxWarmupS: Type.Number(),
});
export type WindowSizingSettings = Static<typeof WindowSizingSettingsSchema>;

export const DisturbanceSettingsSchema = Type.Object({
  /** A window is disturbed when the hypervisor stole more than this share of the host's CPU, %. */
  stealPct: Type.Number(),
  /** … or processes that are neither the stack nor the driver used more than this share, %. */
  foreignPct: Type.Number(),
  /** Re-run a disturbed window once (both are kept; the re-run is the cell's sample). */
  rerun: Type.Boolean(),
});
export type DisturbanceSettings = Static<typeof DisturbanceSettingsSchema>;

export const AdaptiveSettingsSchema = Type.Object({
  /** Time budget of the set's rounds, seconds. */
  budgetS: Type.Number(),
  /** A cell stops once every pair is decided or its resolution is at most this, % (RPS ratio). */
  targetResolutionPct: Type.Number(),
  /** The most windows any cell gets. */
  maxSamples: Type.Number(),
});
export type AdaptiveSettings = Static<typeof AdaptiveSettingsSchema>;

/** A copy of a stack, run as one more stack of the set (`--twin STACK[:ENV=VALUE,...]`). */
export const TwinOfSchema = Type.Object({
  /** The stack it copies. */
  stack: Type.String(),
  /** The app parameters it changes (empty: an identical twin). */
  env: Type.Record(Type.String(), Type.String()),
});
export type TwinOf = Static<typeof TwinOfSchema>;

export const ProfileSettingsSchema = Type.Object({
  workers: Type.Number(),
  /** Concurrent users of each cycle, in order (closed loop; empty for an open-loop profile). */
  cycles: Type.Array(Type.Number()),
  /**
   * Open loop: each window offers one of these rates (requests/s) on a pool of
   * `openConnections` connections instead of `cycles` users. Absent or null: closed loop.
   */
  rates: Type.Optional(Nullable(Type.Array(Type.Number()))),
  /**
   * Open loop: rates as fractions of each stack's capacity, measured anew in every round by a
   * closed-loop window of `capacityCus` users. Absent or null: not used.
   */
  ratesOfCapacity: Type.Optional(Nullable(Type.Array(Type.Number()))),
  /** Users of the closed-loop capacity window (with `ratesOfCapacity`). */
  capacityCus: Type.Optional(Type.Number()),
  /** Open loop: connections opened before each window (the pool grows from there). */
  openConnections: Type.Optional(Type.Number()),
  /**
   * How the load's users use connections, each mode its own cells: `keep-alive` (one connection
   * per user, kept) and/or `close` (a new connection per request). Absent: keep-alive only.
   */
  connections: Type.Optional(Type.Array(ConnectionModeSchema)),
  /** The workloads, each its own cells (`WorkloadNameSchema`). Absent: seed only. */
  workloads: Type.Optional(Type.Array(WorkloadNameSchema)),
  /** The `db` workload's pool, queries and table (absent when the set has no `db` workload). */
  database: Type.Optional(DatabaseSettingsSchema),
  /**
   * A workload's own CUs, where it needs other levels than `cycles` (closed loop only): e.g.
   * plaintext, whose responses are so cheap that few users never load the server. Absent: every
   * workload at `cycles`.
   */
  workloadCycles: Type.Optional(
    Type.Partial(Type.Record(WorkloadNameSchema, Type.Array(Type.Number()))),
  ),
  /** Measured seconds of one sample window. */
  durationS: Type.Number(),
  /** Load before the first cycle, not measured (with `warmupRequestsPerWorker`: a slice's length). */
  warmupS: Type.Number(),
  /**
   * The stack's warm-up covers every workload × connection mode, until each mode has served this
   * many requests per worker and its throughput stopped climbing. Absent: `warmupS` at the first
   * level of the first workload.
   */
  warmupRequestsPerWorker: Type.Optional(Type.Number()),
  /** Unmeasured load at the start of each window, after its fresh connections are open. */
  cycleWarmupS: Type.Number(),
  /** Idle time between windows. */
  pauseS: Type.Number(),
  backlog: Type.Number(),
  /** Worker timeout, seconds (prefork `-t`). */
  timeout: Type.Number(),
  /** Handler threads per adapter (threads backend). */
  threads: Type.Number(),
  loadThreads: Type.Number(),
  requestTimeoutS: Type.Number(),
  /** K: sample windows per (stack, CUs) cell. */
  samples: Type.Number(),
  /**
   * true: each round starts every stack side by side and rotates the windows across them in a
   * shuffled order; false: one stack at a time, its windows shuffled (hosts where all stacks at
   * once do not fit).
   */
  interleave: Type.Boolean(),
  stacks: Type.Array(Type.String()),
  /**
   * The runtimes each stack runs on (node = the Node running the matrix, node20, node22, node24,
   * bun, deno); each (stack, runtime) pair is then one entry named `STACK@RUNTIME`. Absent: every
   * stack on the Node running the matrix, under its own name.
   */
  runtimes: Type.Optional(Type.Array(Type.String())),
  app: Type.String(),
  /** Environment given to every stack so all serve identical work (STACKBENCH_*). */
  appEnv: Type.Record(Type.String(), Type.String()),
  /**
   * Closed-loop windows sized by the cell's response time: `cycleWarmupS` becomes the shortest
   * warm-up (it lasts until throughput is steady, at most `maxWarmupS`) and `durationS` the
   * shortest measured part (at least `responsesPerUser` response times and `minRequests`
   * requests, at most `maxDurationS`). Absent: fixed windows (older sets, open loops).
   */
  windowSizing: Type.Optional(WindowSizingSettingsSchema),
  /** When a window counts as disturbed by the host, and whether to re-run it. Absent: never. */
  disturbance: Type.Optional(DisturbanceSettingsSchema),
  /**
   * Adaptive sampling: `samples` is then the K every cell starts with; rounds after those go to
   * the cells whose pairs are still undecided, within the time budget. Absent: K fixed.
   */
  adaptive: Type.Optional(AdaptiveSettingsSchema),
  /** `--twin`: a copy of one stack, run as `STACK~twin` beside it (absent: none). */
  twin: Type.Optional(TwinOfSchema),
});
export type ProfileSettings = Static<typeof ProfileSettingsSchema>;
