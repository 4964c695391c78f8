/**
 * The host's load just before a set starts: the load averages and how busy the CPUs were over
 * one second. A set measured on a host that something else keeps busy is flagged in the report.
 */
import { readFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import type { HostLoad } from '@stackbench/result';

/** Busy and total jiffies of all CPUs (the first line of /proc/stat). */
async function cpuJiffies(): Promise<{ busy: number; total: number } | null> {
  try {
    const line = (await readFile('/proc/stat', 'utf8')).split('\n')[0] ?? '';
    const fields = line.trim().split(/\s+/).slice(1).map(Number);
    // user nice system idle iowait irq softirq steal ...: idle and iowait are not busy
    const total = fields.slice(0, 8).reduce((a, b) => a + b, 0);
    const idle = (fields[3] ?? 0) + (fields[4] ?? 0);
    return { busy: total - idle, total };
  } catch {
    return null;
  }
}

async function loadAverages(): Promise<[number, number] | null> {
  try {
    const [one, five] = (await readFile('/proc/loadavg', 'utf8')).split(' ').map(Number);
    return one === undefined || five === undefined ? null : [one, five];
  } catch {
    return null;
  }
}

/** Samples the host for `seconds` (1 by default); null where /proc cannot be read. */
export async function hostLoadBefore(seconds = 1): Promise<HostLoad | null> {
  const before = await cpuJiffies();
  await sleep(seconds * 1000);
  const after = await cpuJiffies();
  const averages = await loadAverages();
  if (!before || !after || !averages || after.total <= before.total) return null;
  const busyPct = (100 * (after.busy - before.busy)) / (after.total - before.total);
  return {
    seconds,
    busyPct: Math.round(busyPct * 10) / 10,
    load1: averages[0],
    load5: averages[1],
  };
}
