/**
 * The second face of an app: besides the Node request listener `(req, res)`, a `fetch(request) →
 * Response` handler, the shape runtimes' native servers call (Bun.serve, Deno.serve). Both faces
 * of an app run the same work (bench-work.ts), so every stack serves identical requests whichever
 * server API it uses. Like the listener, the fetch face never throws: a fault is a 500.
 */

import { messageOf } from '@stackbench/cli';
import type { Logger } from './guard.js';

export type FetchHandler = (request: Request) => Promise<Response>;

/** A listener that also carries its fetch face (`app.fetch`). */
export type WithFetch<L> = L & { fetch: FetchHandler };

const defaultLogger: Logger = (line) => process.stderr.write(`${line}\n`);

export function withFetch<L extends object>(listener: L, fetch: FetchHandler): WithFetch<L> {
  return Object.assign(listener, { fetch });
}

/** A `text/plain` answer, as the listener face writes it. */
export function textResponse(body: string, status = 200): Response {
  return new Response(body, { status, headers: { 'Content-Type': 'text/plain' } });
}

/** A throw or rejection in `handler` becomes a 500 with the listener face's body, logged once. */
export function guardFetch(
  name: string,
  handler: (request: Request) => Promise<Response> | Response,
  log: Logger = defaultLogger,
): FetchHandler {
  return async (request) => {
    try {
      return await handler(request);
    } catch (error) {
      log(`${name}: internal error: ${messageOf(error)}`);
      return textResponse('Internal Server Error\n', 500);
    }
  };
}
