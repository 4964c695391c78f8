/**
 * What this host can give a set, for the budget check (set/set-budget.ts): memory available
 * now, the open-file limits of this process (the stacks and the in-process load driver inherit
 * them; Node has already raised the soft limit to the hard one), the system's file table, the
 * ephemeral port range and how long a closed port stays taken.
 */
import { readFileSync } from 'node:fs';
import { sysctl } from './host-tunables.js';

export interface BudgetFacts {
  /** /proc/meminfo MemAvailable, MB. */
  memAvailableMb: number | null;
  /** `ulimit -n` of this process, soft and hard. */
  openFiles: { soft: number; hard: number } | null;
  /** fs.file-max, and the file handles allocated now (fs.file-nr's first figure). */
  fileMax: number | null;
  filesAllocated: number | null;
  /** fs.nr_open: the highest hard `ulimit -n` the kernel allows. */
  nrOpen: number | null;
  /** net.ipv4.ip_local_port_range. */
  portRange: [number, number] | null;
  /** net.ipv4.tcp_fin_timeout, s (FIN-WAIT-2; TIME_WAIT itself is 60 s in Linux). */
  finTimeoutS: number | null;
  /** net.ipv4.tcp_tw_reuse: 1 everywhere, 2 loopback only, 0 never. */
  twReuse: number | null;
}

function read(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}

/** A sysctl's figures: `ip_local_port_range` has two, `fs.file-nr` three, most one. */
const figures = (name: string) => (sysctl(name) ?? '').split(' ').filter(Boolean).map(Number);

export function localBudgetFacts(): BudgetFacts {
  const avail = /^MemAvailable:\s+(\d+) kB/m.exec(read('/proc/meminfo') ?? '')?.[1];
  const limits = /Max open files\s+(\d+|unlimited)\s+(\d+|unlimited)/.exec(
    read('/proc/self/limits') ?? '',
  );
  const limit = (s: string | undefined) =>
    s === 'unlimited' ? Number.MAX_SAFE_INTEGER : Number(s);
  const range = figures('net.ipv4.ip_local_port_range');
  const one = (name: string) => figures(name)[0] ?? null;
  return {
    memAvailableMb: avail ? Math.round(Number(avail) / 1024) : null,
    openFiles: limits ? { soft: limit(limits[1]), hard: limit(limits[2]) } : null,
    fileMax: one('fs.file-max'),
    filesAllocated: one('fs.file-nr'),
    nrOpen: one('fs.nr_open'),
    portRange: range.length === 2 ? [range[0] as number, range[1] as number] : null,
    finTimeoutS: one('net.ipv4.tcp_fin_timeout'),
    twReuse: one('net.ipv4.tcp_tw_reuse'),
  };
}
