/** How the samples were drawn (`manifest.method`): K, the seed, the order, extra rounds, re-runs. */
import { type Static, Type } from '@sinclair/typebox';
import { Nullable } from './nullable.js';
import { ConnectionModeSchema, WorkloadNameSchema } from './settings.js';

/** A window as it ran: which round, which stack, which level. */
export const WindowRefSchema = Type.Object({
  round: Type.Number(),
  stack: Type.String(),
  /** Users (closed loop) or initial connections (open loop). */
  cus: Type.Number(),
  /** The cell's level (`SampleWindow.level`); absent: `cus`. */
  level: Type.Optional(Type.Number()),
  /** Absent: keep-alive. */
  connection: Type.Optional(ConnectionModeSchema),
  /** Absent: seed. */
  workload: Type.Optional(WorkloadNameSchema),
});
export type WindowRef = Static<typeof WindowRefSchema>;

/** One cell of a round's plan. */
export const CellRefSchema = Type.Object({
  stack: Type.String(),
  connection: ConnectionModeSchema,
  /** Absent: seed. */
  workload: Type.Optional(WorkloadNameSchema),
  level: Type.Number(),
});
export type CellRef = Static<typeof CellRefSchema>;

export const ExtraRoundSchema = Type.Object({
  round: Type.Number(),
  cells: Type.Array(CellRefSchema),
  /** One line per (mode, level) it serves: what was undecided and how close. */
  why: Type.Array(Type.String()),
});
export type ExtraRound = Static<typeof ExtraRoundSchema>;

export const AdaptiveRecordSchema = Type.Object({
  /** The K every cell started with. */
  initialSamples: Type.Number(),
  budgetS: Type.Number(),
  targetResolutionPct: Type.Number(),
  maxSamples: Type.Number(),
  /** Seconds the finished rounds took (a resumed set adds to it). */
  spentS: Type.Number(),
  rounds: Type.Array(ExtraRoundSchema),
  /** Why no more rounds ran: every cell settled, the budget, or max_samples; null while running. */
  stopped: Nullable(Type.String()),
});
export type AdaptiveRecord = Static<typeof AdaptiveRecordSchema>;

export const RerunSchema = Type.Object({
  round: Type.Number(),
  stack: Type.String(),
  /** `seq` of the disturbed window and of the one that replaced it. */
  seq: Type.Number(),
  replacedBy: Type.Number(),
  reason: Type.String(),
});
export type Rerun = Static<typeof RerunSchema>;

/** How the samples were drawn: K, the shuffle's seed and the order the windows actually ran in. */
export const MethodSchema = Type.Object({
  interleave: Type.Boolean(),
  samples: Type.Number(),
  /** Seed of the shuffles; the same seed, stacks and profile give the same planned order. */
  seed: Type.Number(),
  order: Type.Array(WindowRefSchema),
  /** Adaptive sampling: the rounds after the first K, what each ran and why (absent: K fixed). */
  adaptive: Type.Optional(AdaptiveRecordSchema),
  /** Windows re-run because the host disturbed them, and why. */
  reruns: Type.Optional(Type.Array(RerunSchema)),
});
export type Method = Static<typeof MethodSchema>;
