/**
 * The result-set format (DESIGN.md contract 6): `manifest.json` plus one `<stack>.json` per
 * stack. bench writes these types, report reads them; report never imports bench.
 */
import type { LoadResult } from '@stackbench/loadgen';

export const MANIFEST_SCHEMA = 'stackbench.manifest/2';
export const STACK_RESULT_SCHEMA = 'stackbench.stack/2';
/** Sets written before sample windows (one run of cycles per repetition): read, converted. */
export const LEGACY_MANIFEST_SCHEMA = 'stackbench.manifest/1';
export const LEGACY_STACK_RESULT_SCHEMA = 'stackbench.stack/1';

/** The profile as it ran (after overrides); its hash decides what is comparable. */
export interface ProfileSettings {
  workers: number;
  /** Concurrent users of each cycle, in order (closed loop; empty for an open-loop profile). */
  cycles: number[];
  /**
   * Open loop: each window offers one of these rates (requests/s) on a pool of
   * `openConnections` connections instead of `cycles` users. Absent or null: closed loop.
   */
  rates?: number[] | null;
  /**
   * Open loop: rates as fractions of each stack's capacity, measured anew in every round by a
   * closed-loop window of `capacityCus` users. Absent or null: not used.
   */
  ratesOfCapacity?: number[] | null;
  /** Users of the closed-loop capacity window (with `ratesOfCapacity`). */
  capacityCus?: number;
  /** Open loop: connections opened before each window (the pool grows from there). */
  openConnections?: number;
  /**
   * How the load's users use connections, each mode its own cells: `keep-alive` (one connection
   * per user, kept) and/or `close` (a new connection per request). Absent: keep-alive only.
   */
  connections?: ConnectionMode[];
  /** Measured seconds of one sample window. */
  durationS: number;
  /** Load before the first cycle, not measured. */
  warmupS: number;
  /** Unmeasured load at the start of each window, after its fresh connections are open. */
  cycleWarmupS: number;
  /** Idle time between windows. */
  pauseS: number;
  backlog: number;
  /** Worker timeout, seconds (prefork `-t`). */
  timeout: number;
  /** Handler threads per adapter (threads backend). */
  threads: number;
  loadThreads: number;
  requestTimeoutS: number;
  /** K: sample windows per (stack, CUs) cell. */
  samples: number;
  /**
   * true: each round starts every stack side by side and rotates the windows across them in a
   * shuffled order; false: one stack at a time, its windows shuffled (hosts where all stacks at
   * once do not fit).
   */
  interleave: boolean;
  stacks: string[];
  /**
   * The runtimes each stack runs on (node = the Node running the matrix, node20, node22, node24,
   * bun, deno); each (stack, runtime) pair is then one entry named `STACK@RUNTIME`. Absent: every
   * stack on the Node running the matrix, under its own name.
   */
  runtimes?: string[];
  app: string;
  /** Environment given to every stack so all serve identical work (STACKBENCH_*). */
  appEnv: Record<string, string>;
  /**
   * Closed-loop windows sized by the cell's response time: `cycleWarmupS` becomes the shortest
   * warm-up (it lasts until throughput is steady, at most `maxWarmupS`) and `durationS` the
   * shortest measured part (at least `responsesPerUser` response times and `minRequests`
   * requests, at most `maxDurationS`). Absent: fixed windows (older sets, open loops).
   */
  windowSizing?: WindowSizingSettings;
  /** When a window counts as disturbed by the host, and whether to re-run it. Absent: never. */
  disturbance?: DisturbanceSettings;
  /**
   * Adaptive sampling: `samples` is then the K every cell starts with; rounds after those go to
   * the cells whose pairs are still undecided, within the time budget. Absent: K fixed.
   */
  adaptive?: AdaptiveSettings;
  /** `--twin`: a copy of one stack, run as `STACK~twin` beside it (absent: none). */
  twin?: TwinOf;
}

export interface WindowSizingSettings {
  responsesPerUser: number;
  minRequests: number;
  maxDurationS: number;
  maxWarmupS: number;
}

export interface DisturbanceSettings {
  /** A window is disturbed when the hypervisor stole more than this share of the host's CPU, %. */
  stealPct: number;
  /** … or processes that are neither the stack nor the driver used more than this share, %. */
  foreignPct: number;
  /** Re-run a disturbed window once (both are kept; the re-run is the cell's sample). */
  rerun: boolean;
}

export interface AdaptiveSettings {
  /** Time budget of the set's rounds, seconds. */
  budgetS: number;
  /** A cell stops once every pair is decided or its resolution is at most this, % (RPS ratio). */
  targetResolutionPct: number;
  /** The most windows any cell gets. */
  maxSamples: number;
}

export interface HostFacts {
  /** Directory name under results/: hostname, lowercased and dashed. */
  slug: string;
  cpuModel: string;
  cores: number;
  memoryMb: number;
  kernel: string;
  platform: string;
  node: string;
  somaxconn: number | null;
  openFileLimit: number | null;
  /** The distribution, e.g. `Debian GNU/Linux 12 (bookworm)`; absent in older sets. */
  os?: string | null;
  /** cpu0's frequency governor; null where the host does not expose it (most VMs). */
  governor?: string | null;
  /** Current values of the kernel settings `provision-host.sh --tune` changes. */
  tunables?: Record<string, string>;
  /** The host's load just before the set started; null where /proc could not be read. */
  loadBefore?: HostLoad | null;
}

/** How busy the host was in the seconds before a set started (something else running?). */
export interface HostLoad {
  /** Length of the sample, seconds. */
  seconds: number;
  /** Share of all CPUs' time that was busy over the sample, percent. */
  busyPct: number;
  /** Load averages over 1 and 5 minutes. */
  load1: number;
  load5: number;
}

/** The load driver that measured the set. */
export interface DriverInfo {
  name: string;
  version: string;
  /** `native` or `autocannon`. */
  engine: string;
  /** The engine's HTTP client, e.g. `net+http-parser-js`. */
  engineClient?: string;
  /** The Node.js version the driver ran on. */
  node: string;
}

/** A host of a remote topology, reached over ssh. */
export interface TopologyHost {
  name: string;
  /** The ssh destination as the hosts file gives it. */
  ssh: string;
  /** Where the workspace was shipped on the host. */
  workspace: string;
  facts: HostFacts;
  /** Kernel settings a benchmark host tunes (provision-host.sh), as read there. */
  tunables?: Record<string, string>;
}

/** Stacks and load on this one host, or stacks on a target and load from driver hosts. */
export interface Topology {
  kind: 'local' | 'remote';
  /** The target's clock is read too: worker-balance readings are taken at set times there. */
  target?: TopologyHost & { address: string; clockOffsetMs?: number; clockRttMs?: number };
  drivers?: (TopologyHost & { clockOffsetMs: number; clockRttMs: number })[];
  /** How the drivers start a window together, and the error that leaves. */
  sync?: string;
}

/** Where the load driver and the stack ran (taskset CPU lists), or why they were not pinned. */
export interface Placement {
  pinned: boolean;
  driverCpus: string | null;
  stackCpus: string | null;
  reason: string;
}

/** Per-request service time of the app measured in-process (`measureServiceTime`). */
export interface ServiceTime {
  samples: number;
  cpuMs: number;
  sleepMs: number;
  writesMs: number;
  totalMs: number;
  /** Process CPU time per request, ms (what one core gives per request). */
  cpuTimeMs: number;
}

export type StackStatus = 'complete' | 'failed' | 'skipped' | 'pending';

/** The JavaScript runtime an entry ran on. */
export interface RuntimeInfo {
  /** As named in the set: node (the matrix's own), node20, node22, node24, bun, deno. */
  name: string;
  engine: string;
  /** As the binary printed it (`v24.1.0`); null when it was not installed. */
  version: string | null;
  /** Registry package and whose build it is; null when it was not installed. */
  source: string | null;
}

/** A copy of a stack, run as one more stack of the set (`--twin STACK[:ENV=VALUE,...]`). */
export interface TwinOf {
  /** The stack it copies. */
  stack: string;
  /** The app parameters it changes (empty: an identical twin). */
  env: Record<string, string>;
}

/** One side of an A/B set (`bench:ab`): the commit whose build ran the `@base` or `@head` stacks. */
export interface AbSide {
  /** The ref as given (a branch, tag or commit). */
  ref: string;
  /** The full commit hash it resolved to. */
  commit: string;
  /** The side's work tree had uncommitted changes when it was built. */
  dirty: boolean;
  /** package name → version of that build */
  versions: Record<string, string>;
  /** app parameters set on this side only (STACKBENCH_*), empty when none */
  env: Record<string, string>;
}

/** An A/B set: every stack run twice in the same rounds, as `STACK@base` and `STACK@head`. */
export interface AbRecord {
  base: AbSide;
  head: AbSide;
  /** the stacks measured on both sides (their own names, without @base/@head) */
  stacks: string[];
}

export interface ManifestStack {
  name: string;
  /** Set for `STACK~twin`: what it copies and what it changes. */
  twin?: TwinOf;
  /** Set for an A/B set's `STACK@base` / `STACK@head`: the stack and the side it ran. */
  ab?: { stack: string; side: 'base' | 'head' };
  title: string;
  reference: boolean;
  status: StackStatus;
  /** Why it was skipped or failed. */
  reason: string | null;
  /** Versions of what it runs: node, packages, external programs. */
  versions: Record<string, string>;
  /**
   * The stack's own keep-alive settings (server idle timeout, proxy upstream keep-alive), from its
   * stack file: they decide what a keep-alive user gets.
   */
  keepAlive?: Record<string, string>;
  /** The stack file, when `name` is a (stack, runtime) pair's `STACK@RUNTIME`. */
  stack?: string;
  /** The runtime of the entry; null: a stack that runs no JavaScript runtime (gunicorn). */
  runtime?: RuntimeInfo | null;
}

export type ConnectionMode = 'keep-alive' | 'close';

/** A window as it ran: which round, which stack, which level. */
export interface WindowRef {
  round: number;
  stack: string;
  /** Users (closed loop) or initial connections (open loop). */
  cus: number;
  /** The cell's level (`SampleWindow.level`); absent: `cus`. */
  level?: number;
  /** Absent: keep-alive. */
  connection?: ConnectionMode;
}

/** How the samples were drawn: K, the shuffle's seed and the order the windows actually ran in. */
export interface Method {
  interleave: boolean;
  samples: number;
  /** Seed of the shuffles; the same seed, stacks and profile give the same planned order. */
  seed: number;
  order: WindowRef[];
  /** Adaptive sampling: the rounds after the first K, what each ran and why (absent: K fixed). */
  adaptive?: AdaptiveRecord;
  /** Windows re-run because the host disturbed them, and why. */
  reruns?: Rerun[];
}

/** One cell of a round's plan. */
export interface CellRef {
  stack: string;
  connection: ConnectionMode;
  level: number;
}

export interface ExtraRound {
  round: number;
  cells: CellRef[];
  /** One line per (mode, level) it serves: what was undecided and how close. */
  why: string[];
}

export interface AdaptiveRecord {
  /** The K every cell started with. */
  initialSamples: number;
  budgetS: number;
  targetResolutionPct: number;
  maxSamples: number;
  /** Seconds the finished rounds took (a resumed set adds to it). */
  spentS: number;
  rounds: ExtraRound[];
  /** Why no more rounds ran: every cell settled, the budget, or max_samples; null while running. */
  stopped: string | null;
}

export interface Rerun {
  round: number;
  stack: string;
  /** `seq` of the disturbed window and of the one that replaced it. */
  seq: number;
  replacedBy: number;
  reason: string;
}

export interface Manifest {
  schema: typeof MANIFEST_SCHEMA;
  setId: string;
  suite: { commit: string; dirty: boolean };
  profile: { name: string; hash: string; settings: ProfileSettings };
  /** Command-line overrides as given (flag → value). */
  overrides: Record<string, string>;
  host: HostFacts;
  /** Absent in older sets (the windows' load documents name their driver). */
  driver?: DriverInfo;
  placement: Placement;
  /** Where stacks and load ran (absent in older sets: local). */
  topology?: Topology;
  serviceTime: ServiceTime | null;
  method: Method;
  stacks: ManifestStack[];
  /** An A/B set (`bench:ab`): what base and head are (absent: not an A/B set). */
  ab?: AbRecord;
  startedAt: string;
  endedAt: string | null;
  complete: boolean;
}

/** One second of the stack's processes while loading. */
export interface ServerSample {
  /** Seconds since the load started. */
  t: number;
  cpuPct: number;
  rssMb: number;
  processes: number;
  /** Processes that exited since the stack became ready (restarts, if the stack respawns). */
  restarts: number;
  /** Connections waiting in the listen socket's accept queue; null where it cannot be read. */
  acceptQueue: number | null;
}

export interface ServerSummary {
  samples: number;
  cpuPctAvg: number;
  cpuPctMax: number;
  rssMbAvg: number;
  rssMbMax: number;
  processesMax: number;
  restarts: number;
  acceptQueueMax: number | null;
}

/** Milliseconds spent in each phase of one run; null for phases not reached. */
export interface Lifecycle {
  startMs: number | null;
  readyMs: number | null;
  verifyMs: number | null;
  warmupMs: number | null;
  loadMs: number | null;
  stopMs: number | null;
  /** True when the grace period ran out and the group had to be SIGKILLed. */
  killed: boolean;
  /** Processes of the stack still alive after stopping (must be 0). */
  leftover: number;
  portFree: boolean;
}

export interface Verification {
  status: number;
  contentType: string;
  bodyMatches: boolean;
}

/** One worker process of the stack during a window: its connections and the CPU it used. */
export interface WorkerShare {
  pid: number;
  /** Established connections on the load's port held by this process (from `ss -tnp`, mid-window). */
  connections: number;
  /** CPU time used over the window, ms (utime + stime from /proc). */
  cpuMs: number;
}

/** How one window's load spread over the stack's workers. */
export interface WindowBalance {
  workers: WorkerShare[];
  /** Jain's fairness index of connections per worker (1 = even, 1/n = one holds all); null when none. */
  connectionsJain: number | null;
  /** Jain's fairness index of CPU time per worker. */
  cpuJain: number | null;
}

/** One sample window: fresh connections, `cus` users, the load driver's document for it. */
export interface SampleWindow {
  /** Users (closed loop) or the pool's initial connections (open loop). */
  cus: number;
  /**
   * The cell this window samples: CUs (closed loop), the offered rate (`rates`) or the fraction
   * of capacity (`ratesOfCapacity`). Absent in closed-loop sets: `cus`.
   */
  level?: number;
  /** Open loop: the rate offered in this window, requests/s. */
  offeredRps?: number | null;
  /** The users' connection mode (absent: keep-alive). */
  connection?: ConnectionMode;
  /** Position in the set's order (`Method.order`), 0-based. */
  seq: number;
  startedAt: string;
  /** The load driver's document for this window (one cycle), embedded unchanged. */
  load: LoadResult;
  /** null where the workers could not be observed (not Linux, no `ss`). */
  balance: WindowBalance | null;
  /**
   * CPU time of all the stack's processes over the measured part, ms (utime + stime from
   * /proc); with the window's requests, the stack's CPU per request. Absent in older sets.
   */
  serverCpuMs?: number | null;
  server: ServerSample[];
  /** What else used the host's CPU during the measured part (absent in older sets). */
  noise?: WindowNoise | null;
  /** `seq` of the window that re-ran this disturbed one; such a window is kept, not counted. */
  replacedBy?: number;
}

/**
 * The host during a window's measured part. CPU figures are shares of all the host's CPU time
 * (every core: 100 %), from /proc: steal from /proc/stat, the stack's and the driver's processes
 * from /proc/PID/stat, foreign = busy − stack − driver (never below 0).
 */
export interface WindowNoise {
  seconds: number;
  stealPct: number;
  foreignCpuPct: number;
  driverCpuPct: number;
  stackCpuPct: number;
  /** Runnable tasks (/proc/stat procs_running), mean and max of the readings. */
  runQueue: number;
  runQueueMax: number;
  /** Why the window counts as disturbed (empty: it does not). */
  disturbed: string[];
}

/** One start-to-stop of a stack: a round of an interleaved set, or all windows of a sequential one. */
export interface StackRun {
  /** 1-based round number. */
  round: number;
  status: 'complete' | 'failed';
  error: string | null;
  /** Last lines of the stack's output, when it failed. */
  logTail: string[];
  startedAt: string;
  lifecycle: Lifecycle;
  verification: Verification | null;
  /** With `ratesOfCapacity`: the successful RPS of this round's closed-loop capacity window. */
  capacityRps?: number | null;
  windows: SampleWindow[];
  /** Over all windows of the run. */
  server: { summary: ServerSummary | null };
}

export interface StackResult {
  schema: typeof STACK_RESULT_SCHEMA;
  stack: {
    name: string;
    title: string;
    description: string;
    reference: boolean;
    /** As in the manifest's entry (absent in sets without runtimes). */
    runtime?: RuntimeInfo | null;
  };
  runs: StackRun[];
}
