/**
 * The memory of a process tree as the kernel accounts it: PSS from /proc/PID/smaps_rollup (a
 * page shared by N processes counts 1/N in each, so forked workers' shared pages are not counted
 * N times), RSS beside it for comparison. A process gone between listing and reading counts 0.
 */
import { readFileSync } from 'node:fs';
import { descendantsOf } from '@stackbench/host-probe';

function rollupKb(pid: number, field: 'Pss' | 'Rss'): number {
  try {
    const text = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(text);
    return match?.[1] ? Number(match[1]) : 0;
  } catch {
    return 0;
  }
}

function cmdline(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
  } catch {
    return '';
  }
}

/** Every descendant of `pid` (not `pid` itself) whose command line matches none of `skip`. */
export function descendants(pid: number, skip: readonly RegExp[]): number[] {
  return descendantsOf(pid).filter((p) => !skip.some((re) => re.test(cmdline(p))));
}

export interface TreeMemory {
  processes: number;
  pssMb: number;
  rssMb: number;
}

export function treeMemory(pids: readonly number[]): TreeMemory {
  let pss = 0;
  let rss = 0;
  for (const pid of pids) {
    pss += rollupKb(pid, 'Pss');
    rss += rollupKb(pid, 'Rss');
  }
  return { processes: pids.length, pssMb: pss / 1024, rssMb: rss / 1024 };
}
