/**
 * `threads` backend (Gunicorn's threaded workers, for Node): node:http accepts and parses on the
 * main thread; each request's handler runs on a piscina pool of `threads` worker threads, each
 * running up to `threadConcurrency` requests at once so handlers that await (a sleep, I/O) do not
 * hold a thread idle. Bodies are buffered both ways (see thread-request.ts / thread-response.ts).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { messageOf } from '@stackbench/cli';
import { Piscina } from 'piscina';
import { answerFault } from '../fault.js';
import { loadApp } from '../load-app.js';
import type { Backend, BackendContext, BackendDefinition } from './backend.js';
import {
  abortSlots,
  maxRequestId,
  type ThreadResult,
  type ThreadSetup,
  type ThreadTask,
} from './thread-messages.js';

function toTask(id: number, req: IncomingMessage, body: Uint8Array): ThreadTask {
  return {
    id,
    method: req.method ?? 'GET',
    url: req.url ?? '/',
    httpVersion: req.httpVersion,
    headers: req.headers,
    rawHeaders: req.rawHeaders,
    remoteAddress: req.socket.remoteAddress,
    remotePort: req.socket.remotePort,
    localAddress: req.socket.localAddress,
    localPort: req.socket.localPort,
    body,
  };
}

function writeResult(
  result: ThreadResult,
  req: IncomingMessage,
  res: ServerResponse,
  context: BackendContext,
): void {
  if (result.kind === 'abandoned' || res.writableEnded || res.destroyed) return;
  if (result.kind === 'fault') {
    context.onFault(res);
    answerFault(result.error, req, res, context.log);
    return;
  }
  res.statusCode = result.status;
  if (result.statusMessage) res.statusMessage = result.statusMessage;
  for (const [name, value] of result.headers) res.setHeader(name, value);
  res.end(Buffer.from(result.body.buffer, result.body.byteOffset, result.body.byteLength));
}

async function startPool(context: BackendContext, setup: ThreadSetup): Promise<Piscina> {
  const pool = new Piscina({
    filename: new URL('./thread-worker.js', import.meta.url).href,
    workerData: setup,
    minThreads: context.threads,
    maxThreads: context.threads,
    concurrentTasksPerWorker: context.threadConcurrency,
    // Threads must keep their event loop running between tasks for timers and I/O to progress.
    atomics: 'disabled',
    idleTimeout: Number.POSITIVE_INFINITY,
  });
  // Ready when every thread has loaded the app, so the first requests do not pay for it.
  try {
    await new Promise<void>((resolve, reject) => {
      let ready = 0;
      pool.on('workerCreate', () => {
        if (++ready === context.threads) resolve();
      });
      pool.once('error', reject);
    });
  } catch (error) {
    await pool.destroy();
    throw error;
  }
  // Later pool errors (a thread's throw while it runs no task) must not reach the main thread's
  // uncaught-exception path: piscina replaces the thread; say so and keep serving.
  pool.on('error', (error: unknown) => {
    context.log(
      `thread error (thread replaced): ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`,
    );
  });
  return pool;
}

export const threadsBackend: BackendDefinition = {
  name: 'threads',
  async create(context): Promise<Backend> {
    // Load once here too: bad APP specs fail with typed errors before any thread starts.
    await loadApp(context.app, context.cwd);
    const setup: ThreadSetup = {
      app: context.app,
      cwd: context.cwd,
      abortFlags: new SharedArrayBuffer(abortSlots * Int32Array.BYTES_PER_ELEMENT),
    };
    const pool = await startPool(context, setup);
    const abortFlags = new Int32Array(setup.abortFlags);
    let nextId = 1;
    let closed: Promise<void> | undefined;

    const dispatch = (req: IncomingMessage, res: ServerResponse, chunks: Buffer[]) => {
      if (res.destroyed) return; // the client left while the body was arriving
      const id = nextId;
      nextId = nextId >= maxRequestId ? 1 : nextId + 1;
      Atomics.store(abortFlags, id % abortSlots, 0); // a flag left from an id 65,536 back
      const body = new Uint8Array(Buffer.concat(chunks));
      let settled = false;
      res.once('close', () => {
        if (!settled) Atomics.store(abortFlags, id % abortSlots, id);
      });
      const transferList = body.byteLength > 0 ? [body.buffer] : [];
      pool.run(toTask(id, req, body), { transferList }).then(
        (result: ThreadResult) => {
          settled = true;
          writeResult(result, req, res, context);
        },
        (error: unknown) => {
          settled = true;
          const reason = messageOf(error);
          writeResult({ kind: 'fault', error: `thread failed: ${reason}` }, req, res, context);
        },
      );
    };

    return {
      handle(req, res) {
        const chunks: Buffer[] = [];
        req.on('data', (chunk: Buffer) => chunks.push(chunk));
        req.on('end', () => dispatch(req, res, chunks));
      },
      close() {
        closed ??= pool.destroy();
        return closed;
      },
    };
  },
};
