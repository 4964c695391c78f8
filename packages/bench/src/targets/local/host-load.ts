/**
 * The host's load just before a set starts: the load averages and how busy the CPUs were over
 * one second (host-probe's definition of busy: steal is not busy). A set measured on a host that
 * something else keeps busy is flagged in the report.
 */
import { readFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { hostBusySince, sampleHostCpu } from '@stackbench/host-probe';
import type { HostLoad } from '@stackbench/result';

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
  const before = sampleHostCpu();
  await sleep(seconds * 1000);
  const busy = hostBusySince(before);
  const averages = await loadAverages();
  if (busy.source !== 'proc-stat' || !averages) return null;
  return {
    seconds,
    busyPct: Math.round(busy.busyPct * 10) / 10,
    load1: averages[0],
    load5: averages[1],
  };
}
