/**
 * Measures the bench app's own service time on this host, step by step, in-process (no server,
 * no network): the basis of a result set's Little's-law capacity line.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { cpuStep } from './cpu-step.js';
import { type BenchParams, defaultParams } from './params.js';
import { writeScratchFile } from './scratch-file.js';

export interface ServiceTime {
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
  samples?: number;
  params?: BenchParams;
  tmpDir?: string;
}

/** Runs the app's three steps `samples` times (after two unmeasured warm-up runs). */
export async function measureServiceTime(options: MeasureOptions = {}): Promise<ServiceTime> {
  const samples = options.samples ?? 20;
  const params = options.params ?? defaultParams;
  const once = async () => {
    const t0 = performance.now();
    cpuStep(params.cpuIterations);
    const t1 = performance.now();
    if (params.sleepMs > 0) await sleep(params.sleepMs);
    const t2 = performance.now();
    await writeScratchFile(params.writes, params.writeMode, options.tmpDir);
    const t3 = performance.now();
    return [t1 - t0, t2 - t1, t3 - t2] as const;
  };
  await once();
  await once();
  const sums = [0, 0, 0];
  const cpuBefore = process.cpuUsage();
  for (let i = 0; i < samples; i++) {
    const steps = await once();
    steps.forEach((ms, k) => {
      sums[k] = (sums[k] ?? 0) + ms;
    });
  }
  const cpu = process.cpuUsage(cpuBefore);
  const [cpuMs = 0, sleepMs = 0, writesMs = 0] = sums.map((sum) => sum / samples);
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
export function capacityRps(time: ServiceTime, users: number, cores: number): number {
  const byUsers = users / (time.totalMs / 1000);
  const byCores = time.cpuTimeMs > 0 ? cores / (time.cpuTimeMs / 1000) : Number.POSITIVE_INFINITY;
  return Math.min(byUsers, byCores);
}
