/**
 * A stack running on this host: each launched process leads its own process group (execa,
 * `detached`), so stopping signals whole groups and nothing is found by name. The stack dies
 * with the orchestrator whatever ends it: an exit hook SIGKILLs every live group when code can
 * still run; each leader is started through `setpriv --pdeathsig KILL` so the kernel kills it
 * on a SIGKILL of the orchestrator; and the stack reaper SIGKILLs the whole groups then.
 */
import { closeSync, openSync, readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { parentDeathPrefix } from '@stackbench/cli';
import { isAlive, stackPids, UsageMeter } from '@stackbench/host-probe';
import { execa, type ResultPromise } from 'execa';
import { reaper } from '../../session/stack-reaper.js';
import { logExcerpt } from '../log-excerpt.js';
import type {
  LaunchOptions,
  ProcessLaunch,
  ProcessSnapshot,
  RunningStack,
  StopOutcome,
} from '../target.js';

const liveGroups = new Set<number>();
let exitHookInstalled = false;

function killGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    // ESRCH: the group is gone already
  }
}

function signalPid(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // ESRCH: gone already
  }
}

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const pgid of liveGroups) killGroup(pgid, 'SIGKILL');
  });
}

async function waitGone(pids: () => number[], ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  for (;;) {
    if (pids().length === 0) return true;
    if (Date.now() >= deadline) return false;
    await sleep(50);
  }
}

export async function launchLocal(
  processes: ProcessLaunch[],
  options: LaunchOptions,
): Promise<RunningStack> {
  installExitHook();
  const logFd = openSync(options.logFile, 'a');
  const groups: number[] = [];
  const children: ResultPromise[] = [];
  let exited: string | null = null;
  let stopping = false;
  try {
    for (const proc of processes) {
      const pinned = options.cpus ? ['taskset', '-c', options.cpus, ...proc.argv] : proc.argv;
      const argv = [...parentDeathPrefix('KILL'), ...pinned];
      const child = execa(argv[0] as string, argv.slice(1), {
        cwd: options.cwd,
        env: proc.env,
        detached: true,
        cleanup: false,
        reject: false,
        // the fd itself, not a pipe through this process: the driver's CPU stays the driver's
        stdio: ['ignore', logFd, logFd] as unknown as ['ignore', 3, 3],
      });
      if (child.pid === undefined) {
        await child;
        throw new Error(`${proc.name}: could not start ${pinned[0]}`);
      }
      groups.push(child.pid);
      liveGroups.add(child.pid);
      reaper().killOnDeath(child.pid);
      children.push(child);
      void child.then((result) => {
        if (!stopping && exited === null) {
          exited = `${proc.name} (pid ${child.pid}) exited ${result.signal ? `on ${result.signal}` : `with code ${result.exitCode}`}`;
        }
      });
    }
  } finally {
    closeSync(logFd); // the children hold their own copies
  }
  // every pid seen, so that children reparented away from the tree are still checked at stop
  const seen = new Set<number>(groups);
  const meter = new UsageMeter();
  const current = () => {
    const pids = stackPids(groups);
    for (const pid of pids) seen.add(pid);
    return pids;
  };

  return {
    groups,
    exitReason: () => exited,
    async snapshot(): Promise<ProcessSnapshot> {
      const usage = meter.sample(current());
      return {
        pids: usage.pids,
        cpuPct: usage.cpuPct,
        rssMb: usage.rssBytes / 1024 / 1024,
        running: usage.running,
      };
    },
    async stop(signal, graceMs): Promise<StopOutcome> {
      stopping = true;
      current();
      const deadline = Date.now() + graceMs;
      for (const pgid of [...groups].reverse()) {
        // the leader only: a master or supervisor stops its own workers (else it may respawn
        // them); the group is SIGKILLed below if anything outlives the grace period
        signalPid(pgid, signal);
        const members = () => stackPids([pgid]);
        await waitGone(members, Math.max(0, deadline - Date.now()));
      }
      const survivors = () => [...new Set([...seen, ...stackPids(groups)])].filter(isAlive);
      let killed = false;
      if (!(await waitGone(survivors, Math.max(0, deadline - Date.now())))) {
        killed = true;
        for (const pgid of groups) killGroup(pgid, 'SIGKILL');
        for (const pid of survivors()) signalPid(pid, 'SIGKILL');
        await waitGone(survivors, 3000);
      }
      await Promise.allSettled(children);
      for (const pgid of groups) {
        liveGroups.delete(pgid);
        reaper().forget(pgid);
      }
      return { killed, leftover: survivors() };
    },
    logTail(lines) {
      try {
        return logExcerpt(readFileSync(options.logFile, 'utf8').trimEnd(), lines);
      } catch {
        return [];
      }
    },
  };
}
