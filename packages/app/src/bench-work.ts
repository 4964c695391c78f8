/**
 * The bench app's work for one request, in one place for every server face (the Node listener
 * and the fetch handler of native servers): the CPU step, the non-blocking sleep, the small writes
 * to a fresh temporary file, then the body, the elapsed seconds with four decimals.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { cpuStep } from './cpu-step.js';
import type { BenchParams } from './params.js';
import { writeScratchFile } from './scratch-file.js';

/** Elapsed seconds since `startMs` with four decimals, as the seed's `'%.4f'`. */
export function formatElapsed(startMs: number): string {
  return ((performance.now() - startMs) / 1000).toFixed(4);
}

/** One request's work; resolves with the response body (`^\d+\.\d{4}$`). */
export function benchWork(
  params: BenchParams & { tmpDir?: string | undefined },
): () => Promise<string> {
  const { cpuIterations, sleepMs, writes, writeMode, tmpDir } = params;
  return async () => {
    const start = performance.now();
    cpuStep(cpuIterations);
    if (sleepMs > 0) await sleep(sleepMs);
    await writeScratchFile(writes, writeMode, tmpDir);
    return formatElapsed(start);
  };
}
