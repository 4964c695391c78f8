/**
 * Entry module of each pool thread in the `threads` backend: loads the app once (top-level await,
 * so piscina reports the thread ready only when the app is loaded), then runs one request per task
 * against a buffered req/res pair. Faults come back as values so one bad request never kills the
 * thread and the other requests it is running.
 */
import { BroadcastChannel } from 'node:worker_threads';
import { workerData } from 'piscina';
import { loadApp } from '../load-app.js';
import type { ThreadResult, ThreadSetup, ThreadTask } from './thread-messages.js';
import { socketInfo, ThreadIncoming } from './thread-request.js';
import { ThreadOutgoing } from './thread-response.js';

const setup = workerData as ThreadSetup;
const app = await loadApp(setup.app, setup.cwd);

/** Abandon callbacks of the requests this thread is running, by id. */
const running = new Map<number, () => void>();
/**
 * Aborts for requests not running here: still queued, or on another thread, or already done.
 * Remembered (a bounded number) because an abort can overtake its task on the way in.
 */
const earlyAborts = new Set<number>();
const earlyAbortLimit = 1024;
const aborts = new BroadcastChannel(setup.abortChannel);
aborts.unref();
aborts.onmessage = (event) => {
  const id = (event as { data: number }).data;
  const abandon = running.get(id);
  if (abandon) return abandon();
  earlyAborts.add(id);
  if (earlyAborts.size > earlyAbortLimit)
    earlyAborts.delete(earlyAborts.values().next().value as number);
};

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

export default function runRequest(task: ThreadTask): Promise<ThreadResult> {
  if (earlyAborts.delete(task.id)) return Promise.resolve({ kind: 'abandoned' });
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
