/**
 * /proc/stat, the host's side of CPU time: the aggregate `cpu` line (jiffies by kind, summed over
 * all CPUs), how many CPUs it sums, and `procs_running`. The parsers take the text, so they are
 * tested on fixed text; only readHostStat touches /proc.
 */
import { readProcText } from './proc-stat.js';

/** Jiffies (USER_HZ) of the `cpu` line, summed over all CPUs since boot. */
export interface HostCpuLine {
  /** Every kind: busy + idle + iowait + steal. */
  total: number;
  /** user + nice + system + irq + softirq (guest time is already inside user and nice). */
  busy: number;
  /** Time a hypervisor ran something else while this VM's CPUs wanted to run (0 on bare metal). */
  steal: number;
}

/** The aggregate `cpu ` line; undefined when the text has none. */
export function parseCpuLine(text: string): HostCpuLine | undefined {
  const line = text.split('\n').find((l) => l.startsWith('cpu '));
  if (!line) return undefined;
  const fields = line.trim().split(/\s+/).slice(1).map(Number);
  // steal came in Linux 2.6.11, irq and softirq in 2.6: absent columns count as 0
  const [user, nice, system, idle, iowait = 0, irq = 0, softirq = 0, steal = 0] = fields;
  const known = [user, nice, system, idle, iowait, irq, softirq, steal];
  if (!known.every((n) => n !== undefined && Number.isFinite(n))) return undefined;
  const busy = (user ?? 0) + (nice ?? 0) + (system ?? 0) + irq + softirq;
  return { total: busy + (idle ?? 0) + iowait + steal, busy, steal };
}

/** How many CPUs the `cpu` line sums: the `cpuN` lines (online CPUs); 0 when there are none. */
export function parseCpuCount(text: string): number {
  return text.split('\n').filter((l) => /^cpu\d+ /.test(l)).length;
}

/** `procs_running`: runnable tasks (threads) on the host right now; undefined when absent. */
export function parseProcsRunning(text: string): number | undefined {
  const match = /^procs_running\s+(\d+)\s*$/m.exec(text);
  return match ? Number(match[1]) : undefined;
}

/** The text of /proc/stat, or undefined off Linux. */
export function readHostStat(): string | undefined {
  return readProcText('/proc/stat');
}
