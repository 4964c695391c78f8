/**
 * The worker-report counters (docs/contracts.md#worker-reports): cheap bumps per request, read once a second. A request
 * counts when its response finishes or its connection closes, so abandoned requests leave
 * `inFlight` too. The in-flight responses are kept (one Set entry each) for graceful shutdown.
 */
import type { ServerResponse } from 'node:http';
import type { WorkerCounters } from '@stackbench/protocol';

export class RequestCounters {
  #requests = 0;
  #errors = 0;
  readonly #active = new Set<ServerResponse>();
  readonly #faulted = new WeakSet<ServerResponse>();

  /** Call once per request, first thing. One 'close' listener does all the bookkeeping. */
  track(res: ServerResponse): void {
    this.#active.add(res);
    res.once('close', () => {
      this.#active.delete(res);
      this.#requests++;
      if (res.statusCode >= 500 || this.#faulted.has(res)) this.#errors++;
    });
  }

  /** The handler failed after the status was chosen: still an error. */
  markFault(res: ServerResponse): void {
    this.#faulted.add(res);
  }

  /** Responses not yet finished or closed. */
  active(): Iterable<ServerResponse> {
    return this.#active;
  }

  snapshot(): WorkerCounters {
    return { requests: this.#requests, inFlight: this.#active.size, errors: this.#errors };
  }
}
