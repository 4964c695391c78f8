/**
 * CPU time and RSS of processes from /proc/PID/stat: one small read per process per sample, no
 * child process, and a pid that has just died is simply absent (pidusage rejects the whole
 * batch then, and spawns `ps`-like work we do not need on Linux).
 */
import { CLOCK_TICKS, type ProcStat, readProcStat, readProcText } from './proc-stat.js';

export interface ProcSample {
  /** CPU seconds used so far (user + system). */
  cpuSeconds: number;
  rssBytes: number;
}

let pageSize: number | undefined;

/** Page size, inferred once by comparing Node's own RSS with /proc/self/stat's page count. */
export function getPageSize(): number {
  if (pageSize !== undefined) return pageSize;
  const pages = readProcStat('self')?.rssPages ?? 0;
  const ratio = pages > 0 ? process.memoryUsage.rss() / pages : 4096;
  pageSize = [4096, 16384, 65536].reduce((best, size) =>
    Math.abs(size - ratio) < Math.abs(best - ratio) ? size : best,
  );
  return pageSize;
}

function toSample(stat: ProcStat, page: number): ProcSample {
  return { cpuSeconds: (stat.utime + stat.stime) / CLOCK_TICKS, rssBytes: stat.rssPages * page };
}

/** Samples of the given pids; pids that are gone are missing from the map. */
export function sampleProcesses(pids: readonly number[]): Map<number, ProcSample> {
  const page = getPageSize();
  const out = new Map<number, ProcSample>();
  for (const pid of pids) {
    const stat = readProcStat(pid);
    if (stat) out.set(pid, toSample(stat, page));
  }
  return out;
}

/** CPU seconds of a pid (with its reaped children when asked), or undefined when it is gone. */
export function cpuSecondsOf(
  pid: number,
  options: { children?: boolean } = {},
): number | undefined {
  const stat = readProcStat(pid);
  if (!stat) return undefined;
  const ticks = stat.utime + stat.stime + (options.children ? stat.cutime + stat.cstime : 0);
  return ticks / CLOCK_TICKS;
}

/** Seconds since boot, from /proc/uptime (the clock of /proc/PID/stat's starttime). */
export function uptimeSeconds(): number | undefined {
  const value = Number(readProcText('/proc/uptime')?.split(' ')[0]);
  return Number.isFinite(value) ? value : undefined;
}

export interface UsageTotals {
  /** Pids that answered. */
  pids: number[];
  /** Sum over the pids of % of one core since the previous call (since start on the first). */
  cpuPct: number;
  rssBytes: number;
  /** Pids running or waiting for a core at the reading (state R). */
  running: number;
}

/**
 * CPU % of a changing set of processes between calls, as pidusage reports it: each pid's CPU time
 * since the previous call over the wall time between them; on a pid's first call, its average
 * since it started. Pids not seen in a call are forgotten.
 */
export class UsageMeter {
  private previous = new Map<number, { cpuSeconds: number; at: number }>();

  sample(pids: readonly number[]): UsageTotals {
    const page = getPageSize();
    const now = performance.now() / 1000;
    const uptime = uptimeSeconds();
    const next = new Map<number, { cpuSeconds: number; at: number }>();
    const totals: UsageTotals = { pids: [], cpuPct: 0, rssBytes: 0, running: 0 };
    for (const pid of pids) {
      const stat = readProcStat(pid);
      if (!stat) continue;
      const { cpuSeconds, rssBytes } = toSample(stat, page);
      const before = this.previous.get(pid);
      const elapsed = before
        ? now - before.at
        : uptime === undefined
          ? 0
          : uptime - stat.starttime / CLOCK_TICKS;
      const used = cpuSeconds - (before?.cpuSeconds ?? 0);
      totals.pids.push(pid);
      totals.cpuPct += elapsed > 0 ? (100 * used) / elapsed : 0;
      totals.rssBytes += rssBytes;
      if (stat.state === 'R') totals.running++;
      next.set(pid, { cpuSeconds, at: now });
    }
    this.previous = next;
    return totals;
  }
}
