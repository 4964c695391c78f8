/**
 * `node` backend: the app runs on the main thread as a plain node:http listener (keep-alive,
 * streaming requests and responses, everything node:http does). A throw or a rejected promise
 * becomes a 500. With `catchLateFaults`, a throw from a callback the request scheduled (a timer)
 * is traced back to its request through an AsyncLocalStorage (see claimUncaughtFault) and
 * answered too; it is opt-in because on Node 20 AsyncLocalStorage (async hooks) cost about a
 * quarter of the hello app's throughput here (README, Benchmark).
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { answerFault } from '../fault.js';
import { loadApp } from '../load-app.js';
import type { BackendDefinition } from './backend.js';

interface RequestScope {
  req: IncomingMessage;
  res: ServerResponse;
  fault(error: unknown): void;
}

const scope = new AsyncLocalStorage<RequestScope>();

/**
 * For a process-level `uncaughtException` handler: if the error was thrown while serving a request
 * (in any callback that request scheduled), answer that request with a 500 and return true.
 */
export function claimUncaughtFault(error: unknown): boolean {
  const current = scope.getStore();
  if (!current) return false;
  current.fault(error);
  return true;
}

export const nodeBackend: BackendDefinition = {
  name: 'node',
  async create(context) {
    const app = await loadApp(context.app, context.cwd);
    const run = (req: IncomingMessage, res: ServerResponse, fault: (error: unknown) => void) => {
      try {
        const result = app(req, res) as { then?: unknown } | undefined;
        if (typeof result?.then === 'function') (result as Promise<unknown>).then(undefined, fault);
      } catch (error) {
        fault(error);
      }
    };
    return {
      handle(req, res) {
        const fault = (error: unknown) => {
          context.onFault(res);
          answerFault(error, req, res, context.log);
        };
        if (context.catchLateFaults) scope.run({ req, res, fault }, run, req, res, fault);
        else run(req, res, fault);
      },
      async close() {},
    };
  },
};
