/**
 * How a window's load spread over a stack's workers, for any stack in any language: the
 * workers are the leaf processes of the process tree that listens on the load's port (a
 * master's or supervisor's children; nginx's workers when nginx is in front), their connections
 * are counted with `ss -tnp` (established, local port = the load's port, by owning pid) and
 * their CPU time is read from /proc before and after the window (`cpu-time.ts`).
 */
import { processTable } from '@stackbench/host-probe';
import { jainIndex } from '@stackbench/report';
import type { WindowBalance, WorkerShare } from '@stackbench/result';
import { execa } from 'execa';

const PID_IN_SS = /pid=(\d+)/g;

/** Owning pids of the sockets `ss` lists, with how many sockets each holds. */
async function socketsByPid(args: string[]): Promise<Map<number, number> | null> {
  const result = await execa('ss', args, { reject: false, timeout: 5000 });
  if (result.exitCode !== 0) return null;
  const counts = new Map<number, number>();
  for (const line of String(result.stdout).split('\n')) {
    // a socket shared by several processes (a forked listener) names each of them
    for (const pid of new Set([...line.matchAll(PID_IN_SS)].map((m) => Number(m[1])))) {
      counts.set(pid, (counts.get(pid) ?? 0) + 1);
    }
  }
  return counts;
}

export function establishedByPid(port: number): Promise<Map<number, number> | null> {
  return socketsByPid(['-tnpH', 'state', 'established', `( sport = :${port} )`]);
}

function listenersOf(port: number): Promise<Map<number, number> | null> {
  return socketsByPid(['-tlnpH', `( sport = :${port} )`]);
}

/**
 * The workers serving `port` among `stackPids`: leaves of the trees rooted at the topmost
 * listeners. null when nothing of the stack is seen listening.
 */
export async function servingWorkers(
  port: number,
  stackPids: readonly number[],
): Promise<number[] | null> {
  const listeners = await listenersOf(port);
  if (!listeners) return null;
  const table = processTable().filter((e) => stackPids.includes(e.pid));
  const parent = new Map(table.map((e) => [e.pid, e.ppid]));
  const inStack = (pid: number) => parent.has(pid);
  const listening = [...listeners.keys()].filter(inStack);
  if (listening.length === 0) return null;
  // the topmost listener: none of its ancestors listens too
  const ancestors = (pid: number) => {
    const list: number[] = [];
    for (let p = parent.get(pid); p !== undefined && inStack(p); p = parent.get(p)) list.push(p);
    return list;
  };
  // the topmost listeners: one for a shared socket (a master, nginx's master), several for
  // processes that each bind the port with SO_REUSEPORT (siblings under a supervisor)
  const roots = listening.filter((pid) => !ancestors(pid).some((a) => listening.includes(a)));
  const tree = table.filter(
    (e) => roots.includes(e.pid) || ancestors(e.pid).some((a) => roots.includes(a)),
  );
  const hasChild = new Set(tree.map((e) => e.ppid));
  return tree
    .filter((e) => !hasChild.has(e.pid))
    .map((e) => e.pid)
    .sort((a, b) => a - b);
}

export function balanceOf(
  workers: readonly number[],
  connections: Map<number, number> | null,
  cpuBefore: Map<number, number>,
  cpuAfter: Map<number, number>,
): WindowBalance {
  const shares: WorkerShare[] = workers.map((pid) => ({
    pid,
    connections: connections?.get(pid) ?? 0,
    cpuMs: Math.max(0, (cpuAfter.get(pid) ?? 0) - (cpuBefore.get(pid) ?? 0)),
  }));
  const round = (v: number | null) => (v === null ? null : Math.round(v * 1000) / 1000);
  return {
    workers: shares,
    connectionsJain: connections ? round(jainIndex(shares.map((s) => s.connections))) : null,
    cpuJain: round(jainIndex(shares.map((s) => s.cpuMs))),
  };
}
