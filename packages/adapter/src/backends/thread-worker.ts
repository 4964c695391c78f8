/**
 * Entry module of each pool thread in the `threads` backend: loads the app once (top-level await,
 * so piscina reports the thread ready only when the app is loaded), then runs one request per task
 * against a buffered req/res pair. Faults come back as values so one bad request never kills the
 * thread and the other requests it is running.
 */
import { workerData } from 'piscina';
import { loadApp } from '../load-app.js';
import {
  abortSlots,
  type ThreadResult,
  type ThreadSetup,
  type ThreadTask,
} from './thread-messages.js';
import { socketInfo, ThreadIncoming } from './thread-request.js';
import { ThreadOutgoing } from './thread-response.js';

const setup = workerData as ThreadSetup;
const app = await loadApp(setup.app, setup.cwd);

/** Abandon callbacks of the requests this thread is running, by id. */
const running = new Map<number, () => void>();
const abortFlags = new Int32Array(setup.abortFlags);
const abandoned = (id: number) => Atomics.load(abortFlags, id % abortSlots) === id;
const abortPollMs = 100;
let poll: NodeJS.Timeout | undefined;

/** While requests run here, look for abandoned ones a few times a second (cheap loads). */
function watchAborts(): void {
  poll ??= setInterval(() => {
    for (const [id, abandon] of running) if (abandoned(id)) abandon();
    if (running.size === 0) {
      clearInterval(poll);
      poll = undefined;
    }
  }, abortPollMs).unref();
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

export default function runRequest(task: ThreadTask): Promise<ThreadResult> {
  // Queued while its client left: do not run it at all.
  if (abandoned(task.id)) return Promise.resolve({ kind: 'abandoned' });
  return new Promise((resolve) => {
    const req = new ThreadIncoming(task, socketInfo(task));
    const res = new ThreadOutgoing(req);
    const settle = (result: ThreadResult) => {
      if (!running.delete(task.id)) return;
      resolve(result);
    };
    running.set(task.id, () => {
      // The client went away: tell the app the way node:http would, and free the slot.
      req.aborted = true;
      req.emit('aborted');
      req.destroy();
      res.destroy();
      settle({ kind: 'abandoned' });
    });
    watchAborts();
    res.on('finish', () => {
      // An exact-size copy: a pooled Buffer would drag its whole 8 KiB slab through postMessage.
      const body = new Uint8Array(Buffer.concat(res.chunks));
      settle({
        kind: 'response',
        status: res.statusCode,
        statusMessage: res.resolvedStatusMessage(),
        headers: res.headerList(),
        body,
      });
    });
    const fault = (error: unknown) => settle({ kind: 'fault', error: describe(error) });
    try {
      const result = app(req as never, res as never) as { then?: unknown } | undefined;
      if (typeof result?.then === 'function') (result as Promise<unknown>).then(undefined, fault);
    } catch (error) {
      fault(error);
    }
  });
}
