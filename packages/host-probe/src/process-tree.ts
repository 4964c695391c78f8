/**
 * Which processes belong to a stack (its process groups and every descendant, since a supervisor
 * may put children in groups of their own) and whether a pid is still alive. Read fresh each
 * time: processes come and go while a stack runs.
 */
import { readdirSync } from 'node:fs';
import { type ProcStat, readProcStat } from './proc-stat.js';

/** Every live process (zombies left out: they hold no resources and are being reaped). */
export function processTable(): ProcStat[] {
  const entries: ProcStat[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const stat = readProcStat(Number(name));
    if (stat && stat.state !== 'Z') entries.push(stat);
  }
  return entries;
}

/** `members` grown by every descendant of one of them, in `table`. */
function withDescendants(members: Set<number>, table: readonly ProcStat[]): Set<number> {
  let grew = true;
  while (grew) {
    grew = false;
    for (const e of table) {
      if (!members.has(e.pid) && members.has(e.ppid)) {
        members.add(e.pid);
        grew = true;
      }
    }
  }
  return members;
}

/** Pids in the given process groups plus all their descendants, sorted. */
export function stackPids(groups: readonly number[], table = processTable()): number[] {
  const members = new Set(table.filter((e) => groups.includes(e.pgid)).map((e) => e.pid));
  return [...withDescendants(members, table)].sort((a, b) => a - b);
}

/** Every descendant of `pid` (not `pid` itself), whatever its process group, sorted. */
export function descendantsOf(pid: number, table = processTable()): number[] {
  const tree = withDescendants(new Set([pid]), table);
  tree.delete(pid);
  return [...tree].sort((a, b) => a - b);
}

/** True when the pid exists and is not a zombie. */
export function isAlive(pid: number): boolean {
  const stat = readProcStat(pid);
  return stat !== undefined && stat.state !== 'Z';
}

/** Start time of a process in clock ticks since boot, as text, or null when it is gone. */
export function processStartTime(pid: number): string | null {
  const stat = readProcStat(pid);
  return stat ? String(stat.starttime) : null;
}
