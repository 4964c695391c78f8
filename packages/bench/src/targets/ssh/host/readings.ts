/**
 * The readings a remote host gives every second while a stack is measured
 * (`stackbench-remote snapshot|cpu`): /proc only, so the command starts fast and loads the
 * host it measures as little as a Node process can. CPU is cumulative time per pid: the
 * orchestrator turns two readings into a percentage, so nothing stays between commands.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { sampleProcesses, stackPids } from '@stackbench/host-probe';
import { cpuMsByPid } from '../../../window/cpu-time.js';

export interface RemoteSnapshot {
  /** Wall clock of the reading on the host, ms. */
  atMs: number;
  pids: number[];
  /** Cumulative CPU time (utime + stime), ms, by pid. */
  cpuMs: Record<string, number>;
  /** Resident set size, bytes, by pid. */
  rss: Record<string, number>;
}

export function snapshot(groups: number[]): RemoteSnapshot {
  const pids = stackPids(groups);
  const rss: Record<string, number> = {};
  const cpuMs: Record<string, number> = {};
  // one /proc/PID/stat read per pid gives both (the page size found once, not assumed)
  const samples = sampleProcesses(pids);
  for (const [pid, sample] of samples) {
    rss[pid] = sample.rssBytes;
    cpuMs[pid] = sample.cpuSeconds * 1000;
  }
  return { atMs: Date.now(), pids: [...samples.keys()], cpuMs, rss };
}

/** Waits until `atMs` on this host's clock (absent: now). */
export async function untilTime(atMs: string | undefined): Promise<void> {
  const wait = atMs === undefined ? 0 : Number(atMs) - Date.now();
  if (wait > 0) await sleep(wait);
}

export async function cpuAt(pids: number[], atMs: string | undefined) {
  await untilTime(atMs);
  return Object.fromEntries(cpuMsByPid(pids));
}
