/**
 * Whole-host CPU use over an interval, from `os.cpus()` tick counters. On one host the driver and
 * the target share the cores, so a busy host explains figures the driver's own CPU cannot.
 */
import os from 'node:os';

export interface CpuTicks {
  busy: number;
  total: number;
}

export function cpuTicks(): CpuTicks {
  let busy = 0;
  let total = 0;
  for (const { times } of os.cpus()) {
    const all = times.user + times.nice + times.sys + times.idle + times.irq;
    busy += all - times.idle;
    total += all;
  }
  return { busy, total };
}

/** Percent of all cores' time that was busy since `from`. */
export function busyPercentSince(from: CpuTicks): number {
  const now = cpuTicks();
  const total = now.total - from.total;
  return total > 0 ? (100 * (now.busy - from.busy)) / total : 0;
}
