/**
 * The cluster's processes as /proc shows them: the postmaster and its descendants by ppid (the
 * postmaster puts every child in a session of its own, so a process group would miss them), their
 * CPU time, and which of them are client backends.
 */
import { CLOCK_TICKS, type ProcStat, processTable, readProcText } from '@stackbench/host-probe';

const MS_PER_TICK = 1000 / CLOCK_TICKS;

/** The postmaster's stat and its descendants' (empty when it is gone). */
export function clusterProcesses(postmaster: number, table = processTable()): ProcStat[] {
  const members = table.filter((e) => e.pid === postmaster);
  if (members.length === 0) return [];
  const pids = new Set([postmaster]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const e of table) {
      if (!pids.has(e.pid) && pids.has(e.ppid)) {
        pids.add(e.pid);
        members.push(e);
        grew = true;
      }
    }
  }
  return members;
}

/**
 * CPU of the tree, ms: each live process's own time and that of the children it reaped (the
 * postmaster reaps every backend that ended, so closed connections still count).
 */
export function treeCpuMs(processes: readonly ProcStat[]): number {
  let ticks = 0;
  for (const p of processes) ticks += p.utime + p.stime + p.cutime + p.cstime;
  return ticks * MS_PER_TICK;
}

/**
 * A client backend's title: `postgres: USER DB [local] STATE` (with `CLUSTER: ` after `postgres: `
 * when cluster_name is set); the background processes' titles have no `[local]`.
 */
const CLIENT_TITLE = /^postgres: (?:[^:\s]+: )?\S+ \S+ \[local\]/;

export function isClientBackend(cmdline: string): boolean {
  return CLIENT_TITLE.test(cmdline);
}

/** The postmaster's direct children (backends are), from procfs's children list or the table. */
function childPids(postmaster: number): number[] {
  const listed = readProcText(`/proc/${postmaster}/task/${postmaster}/children`);
  if (listed !== undefined) return listed.split(' ').filter(Boolean).map(Number);
  return processTable()
    .filter((e) => e.ppid === postmaster)
    .map((e) => e.pid);
}

/** Client backends connected now: the postmaster's children whose title is a client's. */
export function countClientBackends(postmaster: number): number {
  let count = 0;
  for (const pid of childPids(postmaster)) {
    const cmdline = readProcText(`/proc/${pid}/cmdline`);
    if (cmdline !== undefined && isClientBackend(cmdline.replaceAll('\0', ' '))) count += 1;
  }
  return count;
}
