/**
 * The seed's `chaussette.util.bench_app` for Node: CPU step, non-blocking sleep, small writes to
 * a temporary file, then the elapsed seconds as the body (`^\d+\.\d{4}$`). The work is
 * bench-work.ts; here are its two faces, the Node listener and the fetch handler (`.fetch`).
 * The other workloads' paths (`/plaintext`, `/json`, `/db`: workload-routes.ts) answer first.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { benchWork } from './bench-work.js';
import { guardFetch, textResponse, type WithFetch, withFetch } from './fetch-face.js';
import { guardListener, type Logger } from './guard.js';
import { type BenchParams, readParams } from './params.js';
import {
  type Answer,
  answerResponse,
  createWorkloadRoutes,
  type WorkloadRoutes,
} from './workload-routes.js';

export { formatElapsed } from './bench-work.js';

export interface BenchAppOptions extends BenchParams {
  /** Where temporary files go (default: the OS temp dir, i.e. `TMPDIR`). */
  tmpDir?: string;
  log?: Logger;
  /** The other workloads' routes (default: from the environment, `createWorkloadRoutes()`). */
  workloads?: WorkloadRoutes;
}

export type BenchApp = WithFetch<(req: IncomingMessage, res: ServerResponse) => void> & {
  /** Its `/plaintext`, `/json` and `/db` routes (`workloads.close()` ends the /db pool). */
  workloads: WorkloadRoutes;
};

function writeAnswer(res: ServerResponse, answer: Answer): void {
  res.writeHead(answer.status, {
    'Content-Type': answer.contentType,
    'Content-Length': String(Buffer.byteLength(answer.body)),
  });
  res.end(answer.body);
}

export function createBenchApp(options: BenchAppOptions): BenchApp {
  const work = benchWork(options);
  const workloads = options.workloads ?? createWorkloadRoutes({ log: options.log });
  const listener = guardListener(
    'benchApp',
    async (req, res) => {
      const answer = workloads.answer(req.url ?? '/');
      if (answer) {
        writeAnswer(res, answer instanceof Promise ? await answer : answer);
        return;
      }
      const body = await work();
      res.writeHead(200, {
        'Content-Type': 'text/plain',
        'Content-Length': String(Buffer.byteLength(body)),
      });
      res.end(body);
    },
    options.log,
  );
  const fetch = guardFetch(
    'benchApp',
    async (request) => {
      const url = new URL(request.url);
      const answer = workloads.answer(url.pathname + url.search);
      if (answer) return answerResponse(await answer);
      return textResponse(await work());
    },
    options.log,
  );
  return Object.assign(withFetch(listener, fetch), { workloads });
}

/**
 * The app the stacks serve (`@stackbench/app:benchApp`). Built when the module loads, so bad
 * parameters stop the app from loading, with a message naming the variable.
 */
export const benchApp = createBenchApp(readParams());
