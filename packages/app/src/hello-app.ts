/** A fixed small body, for measuring what a server adds per request (overhead calibration). */
import type { IncomingMessage, ServerResponse } from 'node:http';

export const helloBody = 'Hello, World!';
const helloLength = String(Buffer.byteLength(helloBody));

export function helloApp(_req: IncomingMessage, res: ServerResponse): void {
  res.writeHead(200, { 'Content-Type': 'text/plain', 'Content-Length': helloLength });
  res.end(helloBody);
}
