/**
 * Puts a node:http server on its ListenTarget with the requested backlog. For an inherited fd,
 * Node re-runs listen(2) on it with this backlog (511 if none were given), which is how the
 * supervisor's `backlog` takes effect. Works inside node:cluster workers for host:port (cluster
 * intercepts listen and shares the primary's socket).
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AddressInUseError } from '@stackbench/cli';
import { ADAPTER_LISTEN, ListenError, ReusePortUnsupportedError } from './errors.js';
import { formatTarget, type ListenTarget } from './listen-target.js';
import { assertListeningSocket } from './socket-probe.js';

/** Checks what can be checked before the app is loaded (an fd that is not a listening socket). */
export function checkTarget(target: ListenTarget, nodeVersion = process.versions.node): void {
  if ('fd' in target) assertListeningSocket(target.fd);
  if ('port' in target && target.reusePort && !hasReusePort(nodeVersion)) {
    throw new ReusePortUnsupportedError(nodeVersion);
  }
}

/** `listen({ reusePort })` arrived in Node 22.12 (and 23.1); older versions ignore the option. */
export function hasReusePort(nodeVersion: string): boolean {
  const [major = 0, minor = 0] = nodeVersion.split('.').map(Number);
  return major > 23 || (major === 23 && minor >= 1) || (major === 22 && minor >= 12);
}

/** Resolves with the address string once listening; rejects with a typed error. */
export function listenOn(server: Server, target: ListenTarget, backlog: number): Promise<string> {
  const wanted = formatTarget(target);
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      server.off('listening', onListening);
      reject(
        error.code === 'EADDRINUSE'
          ? new AddressInUseError(ADAPTER_LISTEN, wanted)
          : new ListenError(wanted, error),
      );
    };
    const onListening = () => {
      server.off('error', onError);
      const bound = server.address();
      const port = typeof bound === 'object' && bound ? (bound as AddressInfo).port : undefined;
      resolve(formatTarget(target, port));
    };
    server.once('error', onError);
    server.once('listening', onListening);
    // Positional backlog: Node 20 ignores `options.backlog` for `{ fd }` and re-listens with 511.
    server.listen(target, backlog);
  });
}
