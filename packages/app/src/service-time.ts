/**
 * Measures the bench app's own service time on this host, step by step, in-process (no server,
 * no network): the basis of a result set's Little's-law capacity line.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { cpuStep } from './cpu-step.js';
import { type BenchParams, defaultParams } from './params.js';
import { writeScratchFile } from './scratch-file.js';

export interface ServiceTime {
  /** Requests whose CPU and write steps were timed (back to back, after a warm-up). */
  samples: number;
  params: BenchParams;
  /** Mean wall time of each step, ms. */
  cpuMs: number;
  sleepMs: number;
  writesMs: number;
  totalMs: number;
  /** Mean process CPU time (user + system) per request, ms: what one core can give per request. */
  cpuTimeMs: number;
}

export interface MeasureOptions {
  /** Most requests to time (default 200); timing stops earlier when `budgetMs` is spent. */
  samples?: number;
  /** Time budget for the timed requests, ms (default 1500); at least 5 requests are timed. */
  budgetMs?: number;
  /** How many sleeps to time (default 5). */
  sleepSamples?: number;
  params?: BenchParams;
  tmpDir?: string;
}

const warmupRequests = 20;
const minSamples = 5;

/**
 * Times the CPU and write steps back to back, after a warm-up, as in a worker that has been
 * serving for a while (a cold process costs up to half as much again per request, which would
 * put the capacity line below what the stacks reach), then times the sleep on its own: the sleep
 * costs no CPU, and timing it between the busy steps would only slow the measurement down.
 */
export async function measureServiceTime(options: MeasureOptions = {}): Promise<ServiceTime> {
  const params = options.params ?? defaultParams;
  const maxSamples = Math.max(minSamples, options.samples ?? 200);
  const budgetMs = options.budgetMs ?? 1500;
  const busyStep = async () => {
    const t0 = performance.now();
    cpuStep(params.cpuIterations);
    const t1 = performance.now();
    await writeScratchFile(params.writes, params.writeMode, options.tmpDir);
    return [t1 - t0, performance.now() - t1] as const;
  };
  const warmupUntil = performance.now() + budgetMs / 3;
  for (let i = 0; i < warmupRequests && performance.now() < warmupUntil; i++) await busyStep();

  let cpuSum = 0;
  let writesSum = 0;
  let samples = 0;
  const cpuBefore = process.cpuUsage();
  const until = performance.now() + budgetMs;
  while (samples < maxSamples && (samples < minSamples || performance.now() < until)) {
    const [cpu, writes] = await busyStep();
    cpuSum += cpu;
    writesSum += writes;
    samples += 1;
  }
  const cpu = process.cpuUsage(cpuBefore);

  const sleepSamples = params.sleepMs > 0 ? Math.max(1, options.sleepSamples ?? 5) : 0;
  let sleepSum = 0;
  for (let i = 0; i < sleepSamples; i++) {
    const t0 = performance.now();
    await sleep(params.sleepMs);
    sleepSum += performance.now() - t0;
  }
  const cpuMs = cpuSum / samples;
  const writesMs = writesSum / samples;
  const sleepMs = sleepSamples ? sleepSum / sleepSamples : 0;
  return {
    samples,
    params,
    cpuMs,
    sleepMs,
    writesMs,
    totalMs: cpuMs + sleepMs + writesMs,
    cpuTimeMs: (cpu.user + cpu.system) / 1000 / samples,
  };
}

/**
 * The most requests per second `users` closed-loop users can get from `cores` cores (Little's
 * law): each user waits `totalMs` per request, and each request costs `cpuTimeMs` of a core.
 */
export function capacityRps(
  time: Pick<ServiceTime, 'totalMs' | 'cpuTimeMs'>,
  users: number,
  cores: number,
): number {
  const byUsers = users / (time.totalMs / 1000);
  const byCores = time.cpuTimeMs > 0 ? cores / (time.cpuTimeMs / 1000) : Number.POSITIVE_INFINITY;
  return Math.min(byUsers, byCores);
}
