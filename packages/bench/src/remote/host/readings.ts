/**
 * The readings a remote host gives every second while a stack is measured
 * (`stackbench-remote snapshot|cpu`): /proc only, so the command starts fast and loads the
 * host it measures as little as a Node process can. CPU is cumulative time per pid: the
 * orchestrator turns two readings into a percentage, so nothing stays between commands.
 */
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { stackPids } from '@stackbench/host-probe';
import { cpuMsByPid } from '../../cpu-time.js';

export interface RemoteSnapshot {
  /** Wall clock of the reading on the host, ms. */
  atMs: number;
  pids: number[];
  /** Cumulative CPU time (utime + stime), ms, by pid. */
  cpuMs: Record<string, number>;
  /** Resident set size, bytes, by pid. */
  rss: Record<string, number>;
}

const PAGE = 4096;

function rssBytes(pid: number): number | null {
  try {
    return Number(readFileSync(`/proc/${pid}/statm`, 'utf8').split(' ')[1]) * PAGE;
  } catch {
    return null;
  }
}

export function snapshot(groups: number[]): RemoteSnapshot {
  const pids = stackPids(groups);
  const cpu = cpuMsByPid(pids);
  const rss: Record<string, number> = {};
  const cpuMs: Record<string, number> = {};
  const alive: number[] = [];
  for (const pid of pids) {
    const bytes = rssBytes(pid);
    const ms = cpu.get(pid);
    if (bytes === null || ms === undefined) continue;
    alive.push(pid);
    rss[pid] = bytes;
    cpuMs[pid] = ms;
  }
  return { atMs: Date.now(), pids: alive, cpuMs, rss };
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
