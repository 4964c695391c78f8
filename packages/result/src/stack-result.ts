/** `<stack>.json` of a result set: the stack and each start-to-stop of it (a run), with its windows. */
import { type Static, Type } from '@sinclair/typebox';
import { RuntimeInfoSchema } from './host.js';
import { Nullable } from './nullable.js';
import { ConnectionModeSchema, WorkloadNameSchema } from './settings.js';
import { SampleWindowSchema } from './window.js';

export const STACK_RESULT_SCHEMA = 'stackbench.stack/2';
/** Sets written before sample windows (one run of cycles per repetition): read, converted. */
export const LEGACY_STACK_RESULT_SCHEMA = 'stackbench.stack/1';

export const ServerSummarySchema = Type.Object({
  samples: Type.Number(),
  cpuPctAvg: Type.Number(),
  cpuPctMax: Type.Number(),
  rssMbAvg: Type.Number(),
  rssMbMax: Type.Number(),
  processesMax: Type.Number(),
  restarts: Type.Number(),
  acceptQueueMax: Nullable(Type.Number()),
});
export type ServerSummary = Static<typeof ServerSummarySchema>;

/** Milliseconds spent in each phase of one run; null for phases not reached. */
export const LifecycleSchema = Type.Object({
  startMs: Nullable(Type.Number()),
  readyMs: Nullable(Type.Number()),
  verifyMs: Nullable(Type.Number()),
  warmupMs: Nullable(Type.Number()),
  loadMs: Nullable(Type.Number()),
  stopMs: Nullable(Type.Number()),
  /** True when the grace period ran out and the group had to be SIGKILLed. */
  killed: Type.Boolean(),
  /** Processes of the stack still alive after stopping (must be 0). */
  leftover: Type.Number(),
  portFree: Type.Boolean(),
});
export type Lifecycle = Static<typeof LifecycleSchema>;

export const VerificationSchema = Type.Object({
  status: Type.Number(),
  contentType: Type.String(),
  bodyMatches: Type.Boolean(),
});
export type Verification = Static<typeof VerificationSchema>;

/**
 * One workload × connection mode of a run's warm-up (bench's session/stack-warmup.ts): slices of
 * `sliceS` at `users` until a slice's throughput no longer climbs above the best before it.
 */
export const StackWarmupSchema = Type.Object({
  workload: WorkloadNameSchema,
  connection: ConnectionModeSchema,
  users: Type.Number(),
  sliceS: Type.Number(),
  /** Each slice's throughput, requests (successful or failed) per second. */
  rps: Type.Array(Type.Number()),
  /** False when it was still climbing at its last slice (the warm-up's bound). */
  steady: Type.Boolean(),
});
export type StackWarmup = Static<typeof StackWarmupSchema>;

/** One start-to-stop of a stack: a round of an interleaved set, or all windows of a sequential one. */
export const StackRunSchema = Type.Object({
  /** 1-based round number. */
  round: Type.Number(),
  status: Type.Union([Type.Literal('complete'), Type.Literal('failed')]),
  error: Nullable(Type.String()),
  /** Last lines of the stack's output, when it failed. */
  logTail: Type.Array(Type.String()),
  startedAt: Type.String(),
  lifecycle: LifecycleSchema,
  verification: Nullable(VerificationSchema),
  /** The warm-up, piece by piece (sets before it was recorded: absent). */
  warmups: Type.Optional(Type.Array(StackWarmupSchema)),
  /** With `ratesOfCapacity`: the successful RPS of this round's closed-loop capacity window. */
  capacityRps: Type.Optional(Nullable(Type.Number())),
  windows: Type.Array(SampleWindowSchema),
  /** Over all windows of the run. */
  server: Type.Object({ summary: Nullable(ServerSummarySchema) }),
});
export type StackRun = Static<typeof StackRunSchema>;

export const StackResultSchema = Type.Object({
  schema: Type.Literal(STACK_RESULT_SCHEMA),
  stack: Type.Object({
    name: Type.String(),
    title: Type.String(),
    description: Type.String(),
    reference: Type.Boolean(),
    /** As in the manifest's entry (absent in sets without runtimes). */
    runtime: Type.Optional(Nullable(RuntimeInfoSchema)),
  }),
  runs: Type.Array(StackRunSchema),
});
export type StackResult = Static<typeof StackResultSchema>;
