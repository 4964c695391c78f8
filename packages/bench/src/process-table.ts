/**
 * Linux /proc reads: which processes belong to a stack (its process groups and every
 * descendant, since a supervisor may put children in groups of their own) and whether a pid
 * is still alive. Read fresh each time: processes come and go while a stack runs.
 */
import { readdirSync, readFileSync } from 'node:fs';

interface ProcEntry {
  pid: number;
  ppid: number;
  pgid: number;
}

function readEntry(pid: number): ProcEntry | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // comm may contain spaces and parentheses: fields start after the last ')'
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (fields[0] === 'Z') return null; // a zombie holds no resources and is being reaped
    return { pid, ppid: Number(fields[1]), pgid: Number(fields[2]) };
  } catch {
    return null;
  }
}

export function processTable(): ProcEntry[] {
  const entries: ProcEntry[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const entry = readEntry(Number(name));
    if (entry) entries.push(entry);
  }
  return entries;
}

/** Pids in the given process groups plus all their descendants, sorted. */
export function stackPids(groups: readonly number[]): number[] {
  const table = processTable();
  const members = new Set(table.filter((e) => groups.includes(e.pgid)).map((e) => e.pid));
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
  return [...members].sort((a, b) => a - b);
}

/** True when the pid exists and is not a zombie. */
export function isAlive(pid: number): boolean {
  return readEntry(pid) !== null;
}
