/** Where a set ran: the host's facts and load, the driver, the topology, placement, service time. */
import { type Static, Type } from '@sinclair/typebox';
import { Nullable } from './nullable.js';

/** How busy the host was in the seconds before a set started (something else running?). */
export const HostLoadSchema = Type.Object({
  /** Length of the sample, seconds. */
  seconds: Type.Number(),
  /** Share of all CPUs' time that was busy over the sample, percent. */
  busyPct: Type.Number(),
  /** Load averages over 1 and 5 minutes. */
  load1: Type.Number(),
  load5: Type.Number(),
});
export type HostLoad = Static<typeof HostLoadSchema>;

export const HostFactsSchema = Type.Object({
  /** Directory name under results/: hostname, lowercased and dashed. */
  slug: Type.String(),
  cpuModel: Type.String(),
  cores: Type.Number(),
  memoryMb: Type.Number(),
  kernel: Type.String(),
  platform: Type.String(),
  node: Type.String(),
  somaxconn: Nullable(Type.Number()),
  openFileLimit: Nullable(Type.Number()),
  /** The distribution, e.g. `Debian GNU/Linux 12 (bookworm)`; absent in older sets. */
  os: Type.Optional(Nullable(Type.String())),
  /** cpu0's frequency governor; null where the host does not expose it (most VMs). */
  governor: Type.Optional(Nullable(Type.String())),
  /** Current values of the kernel settings `provision-host.sh --tune` changes. */
  tunables: Type.Optional(Type.Record(Type.String(), Type.String())),
  /** The host's load just before the set started; null where /proc could not be read. */
  loadBefore: Type.Optional(Nullable(HostLoadSchema)),
});
export type HostFacts = Static<typeof HostFactsSchema>;

/** The load driver that measured the set. */
export const DriverInfoSchema = Type.Object({
  name: Type.String(),
  version: Type.String(),
  /** `native` or `autocannon`. */
  engine: Type.String(),
  /** The engine's HTTP client, e.g. `net+http-parser-js`. */
  engineClient: Type.Optional(Type.String()),
  /** The Node.js version the driver ran on. */
  node: Type.String(),
});
export type DriverInfo = Static<typeof DriverInfoSchema>;

/** A host of a remote topology, reached over ssh. */
export const TopologyHostSchema = Type.Object({
  name: Type.String(),
  /** The ssh destination as the hosts file gives it. */
  ssh: Type.String(),
  /** Where the workspace was shipped on the host. */
  workspace: Type.String(),
  facts: HostFactsSchema,
  /** Kernel settings a benchmark host tunes (provision-host.sh), as read there. */
  tunables: Type.Optional(Type.Record(Type.String(), Type.String())),
});
export type TopologyHost = Static<typeof TopologyHostSchema>;

/** Stacks and load on this one host, or stacks on a target and load from driver hosts. */
export const TopologySchema = Type.Object({
  kind: Type.Union([Type.Literal('local'), Type.Literal('remote')]),
  /** The target's clock is read too: worker-balance readings are taken at set times there. */
  target: Type.Optional(
    Type.Composite([
      TopologyHostSchema,
      Type.Object({
        address: Type.String(),
        clockOffsetMs: Type.Optional(Type.Number()),
        clockRttMs: Type.Optional(Type.Number()),
      }),
    ]),
  ),
  drivers: Type.Optional(
    Type.Array(
      Type.Composite([
        TopologyHostSchema,
        Type.Object({ clockOffsetMs: Type.Number(), clockRttMs: Type.Number() }),
      ]),
    ),
  ),
  /** How the drivers start a window together, and the error that leaves. */
  sync: Type.Optional(Type.String()),
});
export type Topology = Static<typeof TopologySchema>;

/** Where the load driver and the stack ran (taskset CPU lists), or why they were not pinned. */
export const PlacementSchema = Type.Object({
  pinned: Type.Boolean(),
  driverCpus: Nullable(Type.String()),
  stackCpus: Nullable(Type.String()),
  reason: Type.String(),
});
export type Placement = Static<typeof PlacementSchema>;

/** Per-request service time of the app measured in-process (`measureServiceTime`). */
export const ServiceTimeSchema = Type.Object({
  samples: Type.Number(),
  cpuMs: Type.Number(),
  sleepMs: Type.Number(),
  writesMs: Type.Number(),
  totalMs: Type.Number(),
  /** Process CPU time per request, ms (what one core gives per request). */
  cpuTimeMs: Type.Number(),
});
export type ServiceTime = Static<typeof ServiceTimeSchema>;

/** The JavaScript runtime an entry ran on. */
export const RuntimeInfoSchema = Type.Object({
  /** As named in the set: node (the matrix's own), node20, node22, node24, bun, deno. */
  name: Type.String(),
  engine: Type.String(),
  /** As the binary printed it (`v24.1.0`); null when it was not installed. */
  version: Nullable(Type.String()),
  /** Registry package and whose build it is; null when it was not installed. */
  source: Nullable(Type.String()),
});
export type RuntimeInfo = Static<typeof RuntimeInfoSchema>;
