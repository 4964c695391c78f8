/**
 * What one round of a set takes from the host, figure by figure: memory (the stacks' recorded
 * base + per worker, the orchestrator with its load driver), open files (one per connection at
 * the driver; one per connection at a server process, two behind nginx, plus each process's
 * own) and ephemeral ports (keep-alive: one per connection of every window whose closed ports
 * are still in TIME_WAIT; close mode: the connections opened while a closed one's port stays in
 * TIME_WAIT). Pure: the host's facts come in as a parameter.
 */
import type { ProfileSettings } from '@stackbench/result';
import type { BudgetFacts } from '../targets/local/budget-facts.js';
import { stackMemory, type WorkerMemory } from './worker-memory.js';

export interface BudgetStack {
  name: string;
  /** Its stack file's name (a twin, A/B side or runtime entry shares its stack's figures). */
  file: string;
  /** nginx in front: two descriptors per connection, and nginx's own processes. */
  fronted: boolean;
}

// assumptions, said in the budget's notes
export const PROCESS_FDS = 64;
export const LOAD_THREAD_MB = 40;
export const CONNECTION_KB = 64;
export const TIME_WAIT_S = 60;
export const DRIVER_RATE_PER_THREAD = 20_000;

/** The most connections one window opens at once: the highest CUs, or an open loop's pool. */
export function peakConnections(s: ProfileSettings): number {
  const levels = [
    ...s.cycles,
    ...Object.values(s.workloadCycles ?? {}).flat(),
    ...(s.rates?.length || s.ratesOfCapacity?.length
      ? [s.openConnections ?? 10, s.ratesOfCapacity?.length ? (s.capacityCus ?? 10) : 0]
      : []),
  ];
  return Math.max(1, ...levels);
}

export interface MemoryNeed {
  /** Every stack side by side, and the one that needs most alone; both with the driver. */
  allMb: number;
  largestMb: number;
  largest: string;
  driverMb: number;
  unmeasured: string[];
}

export function memoryNeed(
  s: ProfileSettings,
  stacks: readonly BudgetStack[],
  memory: WorkerMemory,
): MemoryNeed {
  const connections = peakConnections(s);
  const driverMb =
    memory.orchestratorMb +
    (s.loadThreads - 1) * LOAD_THREAD_MB +
    (connections * CONNECTION_KB) / 1024;
  let all = 0;
  let largest = { name: stacks[0]?.name ?? '', mb: 0 };
  const unmeasured: string[] = [];
  for (const stack of stacks) {
    const m = stackMemory(memory, stack.file);
    if (!m.measured && !unmeasured.includes(stack.file)) unmeasured.push(stack.file);
    const mb = m.baseMb + m.perWorkerMb * s.workers;
    all += mb;
    if (mb > largest.mb) largest = { name: stack.name, mb };
  }
  return {
    allMb: all + driverMb,
    largestMb: largest.mb + driverMb,
    largest: largest.name,
    driverMb,
    unmeasured,
  };
}

export interface FdNeed {
  /** The most one process needs: the driver, or a server process holding every connection. */
  perProcess: number;
  /** Across the host: the driver, the measured stack's connections, every running process. */
  system: number;
}

/** `running`: the stacks up at once (all when interleaved, else the one with most processes). */
export function fdNeed(
  s: ProfileSettings,
  stacks: readonly BudgetStack[],
  cores: number,
  driverHere: boolean,
  interleave: boolean,
): FdNeed {
  const connections = peakConnections(s);
  const perConnection = stacks.some((t) => t.fronted) ? 2 : 1;
  // accept does not promise an even spread: one process may hold every connection
  const server = connections * perConnection + PROCESS_FDS;
  const driver = driverHere ? connections + PROCESS_FDS : 0;
  // nginx's worker_processes auto: one per core, and its master
  const processes = stacks.map((t) => s.workers + 1 + (t.fronted ? cores + 1 : 0));
  const running = interleave ? processes.reduce((a, b) => a + b, 0) : Math.max(0, ...processes);
  return {
    perProcess: Math.max(server, driver),
    system: driver + connections * perConnection + running * PROCESS_FDS,
  };
}

export interface PortNeed {
  needed: number;
  /** How the figure was reached, for the notes and the message. */
  how: string;
}

/** The fastest a closed loop can go: users over the shortest response, capped by the driver. */
function closeRate(s: ProfileSettings): number {
  if (s.rates?.length) return Math.max(...s.rates);
  const sleepMs = Number(s.appEnv.STACKBENCH_SLEEP_MS ?? 100);
  const workloads = s.workloads ?? ['seed'];
  // the seed's app sleeps per request; the other workloads answer in about a millisecond
  const shortestS = workloads.some((w) => w !== 'seed') ? 0.001 : Math.max(0.001, sleepMs / 1000);
  return Math.min(peakConnections(s) / shortestS, DRIVER_RATE_PER_THREAD * s.loadThreads);
}

export function portNeed(s: ProfileSettings, facts: BudgetFacts, loopback: boolean): PortNeed {
  const connections = peakConnections(s);
  // tcp_tw_reuse (2: loopback only) lets a new connection take a port in TIME_WAIT after 1 s
  const reuse = facts.twReuse === 1 || (facts.twReuse === 2 && loopback);
  const holdS = reuse ? 1 : TIME_WAIT_S;
  if (!(s.connections ?? ['keep-alive']).includes('close')) {
    // every window opens its users' connections afresh and the driver closes them at its end:
    // their ports stay in TIME_WAIT while the next windows open theirs (rehearsing paper's shape,
    // 400 keep-alive users held 1,551 ports at the peak)
    const windowS = Math.max(0.1, s.cycleWarmupS + s.durationS + s.pauseS);
    const windows = Math.max(1, Math.ceil(holdS / windowS));
    return {
      needed: connections * windows,
      how: `${connections} keep-alive connections a window, ${windows === 1 ? 'the last window' : `${windows} windows`}' ports held ${holdS} s in TIME_WAIT${reuse ? ' (tcp_tw_reuse)' : ''}`,
    };
  }
  const rate = closeRate(s);
  return {
    needed: Math.max(connections, Math.ceil(rate * holdS)),
    how: `close mode: at most about ${Math.round(rate).toLocaleString('en-US')} new connections/s (assumed: users over the shortest response, at most ${DRIVER_RATE_PER_THREAD.toLocaleString('en-US')}/s per load thread) × ${holdS} s in TIME_WAIT${reuse ? ' (tcp_tw_reuse)' : ''}`,
  };
}
