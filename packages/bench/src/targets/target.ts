/**
 * Where stacks run. A `Target` starts a stack's processes, samples them and stops them; the
 * orchestrator talks only to this interface so a remote host can be added beside `local`.
 */
import type { HostFacts, HostLoad } from '@stackbench/result';
import type { BudgetFacts } from './local/budget-facts.js';

export interface ProcessLaunch {
  name: string;
  /** Program and arguments, already rendered. */
  argv: string[];
  /** Added to the orchestrator's environment. */
  env: Record<string, string>;
}

export interface LaunchOptions {
  cwd: string;
  /** Both output streams of every process go here. */
  logFile: string;
  /** CPU list for taskset (`2-3`), or null to leave placement to the OS. */
  cpus: string | null;
}

export interface ProcessSnapshot {
  pids: number[];
  /** Sum over the stack's processes, percent of one core. */
  cpuPct: number;
  rssMb: number;
  /** Processes running or waiting for a core at the reading (state R); absent where not read (ssh). */
  running?: number;
}

export interface StopOutcome {
  /** True when the grace period ran out and SIGKILL was needed. */
  killed: boolean;
  /** Pids of the stack still alive at the end (should be none). */
  leftover: number[];
}

export interface RunningStack {
  /** Process group ids, one per launched process. */
  readonly groups: readonly number[];
  /** Non-null once a launched process has exited on its own: what happened. */
  exitReason(): string | null;
  snapshot(): Promise<ProcessSnapshot>;
  /** The stop signal to each group leader (reverse start order), up to `graceMs`, then SIGKILL to what is left. */
  stop(signal: NodeJS.Signals, graceMs: number): Promise<StopOutcome>;
  logTail(lines: number): string[];
}

/** A stack run's temp dir on the target (configs, log). */
export interface RunDir {
  readonly path: string;
  write(name: string, text: string): Promise<void>;
  remove(): Promise<void>;
}

/** The target's workspace when it is not this process's (a remote host): template values. */
export interface Workspace {
  root: string;
  stacksDir: string;
  node: string;
}

/**
 * How a window's load spread over the workers, read where the stack runs (worker-balance.ts).
 * `atMs` (this process's clock, ms since the epoch): take the reading then, not when asked, so
 * that a slow channel to a remote host does not move it.
 */
export interface WorkerProbe {
  servingWorkers(port: number, pids: readonly number[]): Promise<number[] | null>;
  cpuMsByPid(pids: readonly number[], atMs?: number): Promise<Map<number, number>>;
  establishedByPid(port: number, atMs?: number): Promise<Map<number, number> | null>;
}

export interface Target {
  readonly kind: string;
  /** The address stacks listen on and the load connects to: `{host}` in stack files. */
  readonly listenHost: string;
  /** null: this process's workspace (`local`). */
  readonly workspace: Workspace | null;
  /** The host's facts for the manifest, its load apart (hostLoad). */
  hostFacts(): Promise<HostFacts>;
  /** Memory, open-file and port limits for the budget check; absent: not readable from here. */
  budgetFacts?(): Promise<BudgetFacts>;
  /** The host's load over the second before the set starts, or null where it cannot be read. */
  hostLoad(): Promise<HostLoad | null>;
  createRunDir(stackName: string): Promise<RunDir>;
  launch(processes: ProcessLaunch[], options: LaunchOptions): Promise<RunningStack>;
  /** Connections waiting in the accept queue of the port's listening socket(s), or null. */
  acceptQueue(port: number): Promise<number | null>;
  /** Sockets listening on the port (one per SO_REUSEPORT process), or null where unknown. */
  listeners?(port: number): Promise<number | null>;
  portFree(port: number): Promise<boolean>;
  freePort(): Promise<number>;
  workers: WorkerProbe;
  /** A stack's missing requirement (or null) and versions, checked where it runs; absent: here. */
  checkStack?(
    stackName: string,
  ): Promise<{ missing: string | null; versions: Record<string, string> }>;
}
