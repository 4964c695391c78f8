/**
 * The seed's `chaussette.util.bench_app` for Node: CPU step, non-blocking sleep, small writes to
 * a temporary file, then the elapsed seconds as the body (`^\d+\.\d{4}$`).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { cpuStep } from './cpu-step.js';
import { guardListener, type Logger } from './guard.js';
import { type BenchParams, readParams } from './params.js';
import { writeScratchFile } from './scratch-file.js';

export interface BenchAppOptions extends BenchParams {
  /** Where temporary files go (default: the OS temp dir, i.e. `TMPDIR`). */
  tmpDir?: string;
  log?: Logger;
}

/** Elapsed seconds since `startMs` with four decimals, as the seed's `'%.4f'`. */
export function formatElapsed(startMs: number): string {
  return ((performance.now() - startMs) / 1000).toFixed(4);
}

export function createBenchApp(
  options: BenchAppOptions,
): (req: IncomingMessage, res: ServerResponse) => void {
  const { cpuIterations, sleepMs, writes, writeMode, tmpDir } = options;
  return guardListener(
    'benchApp',
    async (_req, res) => {
      const start = performance.now();
      cpuStep(cpuIterations);
      if (sleepMs > 0) await sleep(sleepMs);
      await writeScratchFile(writes, writeMode, tmpDir);
      const body = formatElapsed(start);
      res.writeHead(200, {
        'Content-Type': 'text/plain',
        'Content-Length': String(Buffer.byteLength(body)),
      });
      res.end(body);
    },
    options.log,
  );
}

/**
 * The listener the stacks serve (`@stackbench/app:benchApp`). Built when the module loads, so bad
 * parameters stop the app from loading, with a message naming the variable.
 */
export const benchApp = createBenchApp(readParams());
