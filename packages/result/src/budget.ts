/**
 * What the host had for a set and what one round of it needed (`manifest.budget`), checked
 * before anything started, and whether the set ran interleaved or one stack at a time, and why.
 */
import { type Static, Type } from '@sinclair/typebox';
import { Nullable } from './nullable.js';

const NeedSchema = Type.Object({ needed: Type.Number(), available: Type.Number() });

export const HostBudgetSchema = Type.Object({
  /** The line printed at the start: `budget: 3.1 GB of 20.4 GB available, …: interleaved`. */
  line: Type.String(),
  interleave: Type.Object({
    /** The profile's `interleave` (or `--sequential`): true, false or "auto". */
    asked: Type.Union([Type.Boolean(), Type.Literal('auto')]),
    chosen: Type.Boolean(),
    why: Type.String(),
  }),
  /** MB: one round as it ran (all stacks or the largest, with the driver); null: not read. */
  memoryMb: Nullable(NeedSchema),
  /** Open files of the process that needs most, against `ulimit -n`; null: not read. */
  fds: Nullable(NeedSchema),
  /** Ephemeral ports of the load driver, against ip_local_port_range; null: not read. */
  ports: Nullable(NeedSchema),
  /** Assumptions and what was not checked. */
  notes: Type.Array(Type.String()),
});
export type HostBudget = Static<typeof HostBudgetSchema>;
