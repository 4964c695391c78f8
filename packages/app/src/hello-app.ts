/** A fixed small body, for measuring what a server adds per request (overhead calibration). */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { textResponse, withFetch } from './fetch-face.js';

export const helloBody = 'Hello, World!';
const helloLength = String(Buffer.byteLength(helloBody));

/** The listener, and its fetch face (`helloApp.fetch`) for native servers. */
export const helloApp = withFetch(
  (_req: IncomingMessage, res: ServerResponse): void => {
    res.writeHead(200, { 'Content-Type': 'text/plain', 'Content-Length': helloLength });
    res.end(helloBody);
  },
  async () => textResponse(helloBody),
);
