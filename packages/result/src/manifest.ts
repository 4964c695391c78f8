/**
 * `manifest.json` of a result set (docs/contracts.md#result-set): what ran, where, how it was sampled,
 * and one entry per stack. bench writes it, report reads it.
 */
import { type Static, Type } from '@sinclair/typebox';
import { HostBudgetSchema } from './budget.js';
import { DriverCeilingSchema } from './driver-ceiling.js';
import {
  DriverInfoSchema,
  HostFactsSchema,
  PlacementSchema,
  RuntimeInfoSchema,
  ServiceTimeSchema,
  TopologySchema,
} from './host.js';
import { MethodSchema } from './method.js';
import { Nullable } from './nullable.js';
import { ProfileSettingsSchema, TwinOfSchema } from './settings.js';

export const MANIFEST_SCHEMA = 'stackbench.manifest/2';
/** Sets written before sample windows (one run of cycles per repetition): read, converted. */
export const LEGACY_MANIFEST_SCHEMA = 'stackbench.manifest/1';

const StringRecord = Type.Record(Type.String(), Type.String());

export const StackStatusSchema = Type.Union([
  Type.Literal('complete'),
  Type.Literal('failed'),
  Type.Literal('skipped'),
  Type.Literal('pending'),
]);
export type StackStatus = Static<typeof StackStatusSchema>;

/** One side of an A/B set (`bench:ab`): the commit whose build ran the `@base` or `@head` stacks. */
export const AbSideSchema = Type.Object({
  /** The ref as given (a branch, tag or commit). */
  ref: Type.String(),
  /** The full commit hash it resolved to. */
  commit: Type.String(),
  /** The side's work tree had uncommitted changes when it was built. */
  dirty: Type.Boolean(),
  /** package name → version of that build */
  versions: StringRecord,
  /** app parameters set on this side only (STACKBENCH_*), empty when none */
  env: StringRecord,
});
export type AbSide = Static<typeof AbSideSchema>;

/** An A/B set: every stack run twice in the same rounds, as `STACK@base` and `STACK@head`. */
export const AbRecordSchema = Type.Object({
  base: AbSideSchema,
  head: AbSideSchema,
  /** the stacks measured on both sides (their own names, without @base/@head) */
  stacks: Type.Array(Type.String()),
});
export type AbRecord = Static<typeof AbRecordSchema>;

export const ManifestStackSchema = Type.Object({
  name: Type.String(),
  /** Set for `STACK~twin`: what it copies and what it changes. */
  twin: Type.Optional(TwinOfSchema),
  /** Set for an A/B set's `STACK@base` / `STACK@head`: the stack and the side it ran. */
  ab: Type.Optional(
    Type.Object({
      stack: Type.String(),
      side: Type.Union([Type.Literal('base'), Type.Literal('head')]),
    }),
  ),
  title: Type.String(),
  reference: Type.Boolean(),
  status: StackStatusSchema,
  /** Why it was skipped or failed. */
  reason: Nullable(Type.String()),
  /** Versions of what it runs: node, packages, external programs. */
  versions: StringRecord,
  /**
   * The stack's own keep-alive settings (server idle timeout, proxy upstream keep-alive), from its
   * stack file: they decide what a keep-alive user gets.
   */
  keepAlive: Type.Optional(StringRecord),
  /** The stack file, when `name` is a (stack, runtime) pair's `STACK@RUNTIME`. */
  stack: Type.Optional(Type.String()),
  /** The runtime of the entry; null: a stack that runs no JavaScript runtime (gunicorn). */
  runtime: Type.Optional(Nullable(RuntimeInfoSchema)),
});
export type ManifestStack = Static<typeof ManifestStackSchema>;

/** The db workload's database as the set ran it, or why its cells were skipped. */
export const SetDatabaseSchema = Type.Object({
  engine: Type.Literal('postgresql'),
  /** The server's version; null when it did not run. */
  version: Nullable(Type.String()),
  /** Where it ran: a private cluster on this host, started and stopped with the set. */
  where: Type.String(),
  /** Why the db cells were skipped (null: they ran), with what to do about it. */
  skipped: Nullable(Type.String()),
  rows: Type.Number(),
  poolSize: Type.Number(),
  queries: Type.Number(),
  maxConnections: Type.Number(),
});
export type SetDatabase = Static<typeof SetDatabaseSchema>;

export const ManifestSchema = Type.Object({
  schema: Type.Literal(MANIFEST_SCHEMA),
  setId: Type.String(),
  suite: Type.Object({ commit: Type.String(), dirty: Type.Boolean() }),
  profile: Type.Object({
    name: Type.String(),
    hash: Type.String(),
    settings: ProfileSettingsSchema,
  }),
  /** Command-line overrides as given (flag → value). */
  overrides: StringRecord,
  host: HostFactsSchema,
  /** Absent in older sets (the windows' load documents name their driver). */
  driver: Type.Optional(DriverInfoSchema),
  /** The driver's own ceiling per driver host, measured before the set (absent in older sets). */
  driverCeiling: Type.Optional(DriverCeilingSchema),
  placement: PlacementSchema,
  /** Where stacks and load ran (absent in older sets: local). */
  topology: Type.Optional(TopologySchema),
  serviceTime: Nullable(ServiceTimeSchema),
  method: MethodSchema,
  /** What one round needed of the host and what it had, and why interleaved or not (absent: older sets). */
  budget: Type.Optional(HostBudgetSchema),
  stacks: Type.Array(ManifestStackSchema),
  /** The db workload's database (absent: the set has no db workload). */
  database: Type.Optional(SetDatabaseSchema),
  /** An A/B set (`bench:ab`): what base and head are (absent: not an A/B set). */
  ab: Type.Optional(AbRecordSchema),
  startedAt: Type.String(),
  endedAt: Nullable(Type.String()),
  complete: Type.Boolean(),
});
export type Manifest = Static<typeof ManifestSchema>;
