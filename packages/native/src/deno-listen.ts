/** The Deno face: Deno.serve, its own HTTP server (hyper underneath), optionally reusePort. */
import type { NativeListen } from './native-server.js';
import { denoGlobal } from './runtime-globals.js';

export const denoListen: NativeListen = async (request) => {
  const deno = denoGlobal();
  if (!deno) throw new Error('Deno.serve is not available: not running on Deno');
  const server = deno.serve(
    {
      hostname: request.host,
      port: request.port,
      reusePort: request.reusePort,
      tcpBacklog: request.backlog,
      // the entry logs its own ready line; Deno's default one goes to stdout
      onListen() {},
    },
    request.handler,
  );
  return { port: server.addr.port, close: () => server.shutdown() };
};
