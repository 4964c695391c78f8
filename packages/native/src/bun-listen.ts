/** The Bun face: Bun.serve, its own HTTP server (uWebSockets underneath), optionally reusePort. */
import type { NativeListen } from './native-server.js';
import { bunGlobal } from './runtime-globals.js';

export const bunListen: NativeListen = async (request) => {
  const bun = bunGlobal();
  if (!bun) throw new Error('Bun.serve is not available: not running on Bun');
  const server = bun.serve({
    hostname: request.host,
    port: request.port,
    reusePort: request.reusePort,
    // production mode: no development error pages
    development: false,
    fetch: request.handler,
  });
  return { port: server.port, close: () => server.stop() };
};
