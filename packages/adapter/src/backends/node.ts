/**
 * `node` backend: the app runs on the main thread as a plain node:http listener (keep-alive,
 * streaming requests and responses, everything node:http does). Faults become a 500; a fault
 * thrown later from a callback the request scheduled is claimed through an AsyncLocalStorage
 * (see claimUncaughtFault), so the CLI can answer it instead of dying.
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
    return {
      handle(req, res) {
        const fault = (error: unknown) => {
          context.onFault(res);
          answerFault(error, req, res, context.log);
        };
        scope.run({ req, res, fault }, () => {
          try {
            const result = app(req, res);
            if (result instanceof Promise) result.catch(fault);
          } catch (error) {
            fault(error);
          }
        });
      },
      async close() {},
    };
  },
};
