/**
 * Stateless readings of the stack on the host where it runs, one remote command each
 * (`stackbench-remote snapshot|port-free|free-port|workers|cpu|established`), each
 * printing one JSON value. CPU is returned as cumulative time per pid: the orchestrator turns two
 * readings into a percentage, so no reading depends on a process that stays between commands.
 */
import { readFileSync } from 'node:fs';
import { canListen, freePort } from '../../port.js';
import { stackPids } from '../../process-table.js';
import { cpuMsByPid, establishedByPid, servingWorkers } from '../../worker-balance.js';

export interface RemoteSnapshot {
  /** Wall clock of the reading on the host, ms. */
  atMs: number;
  pids: number[];
  /** Cumulative CPU time (utime + stime), ms, by pid. */
  cpuMs: Record<string, number>;
  /** Resident set size, bytes, by pid. */
  rss: Record<string, number>;
}

const PAGE = 4096;

function rssBytes(pid: number): number | null {
  try {
    const statm = readFileSync(`/proc/${pid}/statm`, 'utf8').split(' ');
    return Number(statm[1]) * PAGE;
  } catch {
    return null;
  }
}

export function snapshot(groups: number[]): RemoteSnapshot {
  const pids = stackPids(groups);
  const cpu = cpuMsByPid(pids);
  const rss: Record<string, number> = {};
  const alive: number[] = [];
  for (const pid of pids) {
    const bytes = rssBytes(pid);
    if (bytes === null || !cpu.has(pid)) continue;
    alive.push(pid);
    rss[pid] = bytes;
  }
  return {
    atMs: Date.now(),
    pids: alive,
    cpuMs: Object.fromEntries([...cpu].filter(([pid]) => alive.includes(pid))),
    rss,
  };
}

const asObject = (map: Map<number, number> | null) => (map ? Object.fromEntries(map) : null);

/** The probe commands: name → (args) → a JSON-able value. */
export const probes: Record<string, (args: string[]) => unknown> = {
  snapshot: (args) => snapshot(JSON.parse(args[0] ?? '[]') as number[]),
  'port-free': (args) => canListen(Number(args[1]), args[0]),
  'free-port': (args) => freePort(args[0]),
  workers: (args) => servingWorkers(Number(args[0]), JSON.parse(args[1] ?? '[]') as number[]),
  cpu: (args) => asObject(cpuMsByPid(JSON.parse(args[0] ?? '[]') as number[])),
  established: async (args) => asObject(await establishedByPid(Number(args[0]))),
};
