/**
 * The seed's `chaussette.util.bench_app` for Node: CPU step, non-blocking sleep, small writes to
 * a temporary file, then the elapsed seconds as the body (`^\d+\.\d{4}$`). The work is
 * bench-work.ts; here are its two faces, the Node listener and the fetch handler (`.fetch`).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { benchWork } from './bench-work.js';
import { guardFetch, textResponse, type WithFetch, withFetch } from './fetch-face.js';
import { guardListener, type Logger } from './guard.js';
import { type BenchParams, readParams } from './params.js';

export { formatElapsed } from './bench-work.js';

export interface BenchAppOptions extends BenchParams {
  /** Where temporary files go (default: the OS temp dir, i.e. `TMPDIR`). */
  tmpDir?: string;
  log?: Logger;
}

export type BenchApp = WithFetch<(req: IncomingMessage, res: ServerResponse) => void>;

export function createBenchApp(options: BenchAppOptions): BenchApp {
  const work = benchWork(options);
  const listener = guardListener(
    'benchApp',
    async (_req, res) => {
      const body = await work();
      res.writeHead(200, {
        'Content-Type': 'text/plain',
        'Content-Length': String(Buffer.byteLength(body)),
      });
      res.end(body);
    },
    options.log,
  );
  return withFetch(
    listener,
    guardFetch('benchApp', async () => textResponse(await work()), options.log),
  );
}

/**
 * The app the stacks serve (`@stackbench/app:benchApp`). Built when the module loads, so bad
 * parameters stop the app from loading, with a message naming the variable.
 */
export const benchApp = createBenchApp(readParams());
