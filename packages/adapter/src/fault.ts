/**
 * What happens when an app throws or rejects: one log line, a 500 if nothing was sent yet
 * (otherwise the connection is cut, since the status line is gone), and the process keeps
 * serving. The same body for every backend, so responses stay identical.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

export const faultBody = 'Internal Server Error\n';

export type FaultLogger = (line: string) => void;

function firstLine(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}

/** Answers a request whose handler failed. Safe to call more than once. */
export function answerFault(
  error: unknown,
  req: IncomingMessage,
  res: ServerResponse,
  log: FaultLogger,
): void {
  log(`app fault on ${req.method} ${req.url}: ${firstLine(error)}`);
  if (res.writableEnded || res.destroyed) return;
  if (res.headersSent) {
    res.destroy();
    return;
  }
  for (const name of res.getHeaderNames()) res.removeHeader(name);
  res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
  res.end(faultBody);
}
