/**
 * "Host CPU busy", the one definition: the share of all CPUs' time between two samples that went
 * to user + nice + system + irq + softirq, with steal (a hypervisor running something else on
 * this VM's CPUs) reported apart, never as busy. Both come from the `cpu` line of /proc/stat.
 * Where /proc/stat is absent (macOS) the sample falls back to `os.cpus()`, which has no steal,
 * iowait or softirq column; its `source` says so, and its steal reads 0.
 */
import os from 'node:os';
import { parseCpuLine, readHostStat } from './host-stat.js';

export type HostCpuSource = 'proc-stat' | 'os-cpus';

/** Cumulative jiffies (or os.cpus() milliseconds) of all CPUs at one moment. */
export interface HostCpuSample {
  busy: number;
  steal: number;
  total: number;
  source: HostCpuSource;
}

export interface HostBusy {
  /** Busy time / all time of all CPUs between the samples, %. */
  busyPct: number;
  /** Steal time / all time between the samples, %; 0 from `os.cpus()`. */
  stealPct: number;
  source: HostCpuSource;
}

function osCpusSample(): HostCpuSample {
  let busy = 0;
  let total = 0;
  for (const { times } of os.cpus()) {
    busy += times.user + times.nice + times.sys + times.irq;
    total += times.user + times.nice + times.sys + times.irq + times.idle;
  }
  return { busy, steal: 0, total, source: 'os-cpus' };
}

/** A sample from the text of /proc/stat; `os.cpus()` when there is no text or no `cpu` line. */
export function hostCpuSampleOf(procStatText: string | undefined): HostCpuSample {
  const line = procStatText === undefined ? undefined : parseCpuLine(procStatText);
  return line ? { ...line, source: 'proc-stat' } : osCpusSample();
}

/** The host's CPU counters now (synchronous: procfs answers from memory). */
export function sampleHostCpu(): HostCpuSample {
  return hostCpuSampleOf(readHostStat());
}

/**
 * Busy and steal between two samples; 0 when no time passed or the samples come from different
 * sources (their units differ).
 */
export function hostBusyBetween(from: HostCpuSample, to: HostCpuSample): HostBusy {
  const total = to.total - from.total;
  const share = (n: number) => (total > 0 && from.source === to.source ? (100 * n) / total : 0);
  return {
    busyPct: share(to.busy - from.busy),
    stealPct: share(to.steal - from.steal),
    source: to.source,
  };
}

/** Busy and steal from `from` until now. */
export function hostBusySince(from: HostCpuSample): HostBusy {
  return hostBusyBetween(from, sampleHostCpu());
}
