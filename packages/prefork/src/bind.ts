/**
 * The `-b HOST:PORT` address: parsed once at the edge, then probed in the master before any worker
 * is forked, so "address in use" is one clear error instead of N workers failing, and port 0 becomes
 * one concrete port every worker (and every respawn) shares.
 */
import { createServer } from 'node:net';
import { formatTarget } from '@stackbench/adapter';
import { AddressInUseError, splitHostPort } from '@stackbench/cli';
import { BindError, BindSpecError, PREFORK_BIND } from './errors.js';

export interface BindAddress {
  host: string;
  port: number;
}

export function parseBind(spec: string): BindAddress {
  const parsed = splitHostPort(spec.trim());
  if (!parsed) throw new BindSpecError(spec, 'not HOST:PORT');
  const { host, port } = parsed;
  if (port > 65535) throw new BindSpecError(spec, `port ${port} is out of range`);
  return { host, port };
}

/** `127.0.0.1:8080`, `[::1]:8080`: how addresses appear in logs and errors. */
export function formatBind(address: BindAddress): string {
  return formatTarget(address);
}

/**
 * Binds and closes the address once. Resolves with the port (the one chosen for port 0); rejects
 * with a typed error when it is in use or cannot be bound. A port taken by someone else between
 * the probe and the first worker's listen still fails in that worker, which halts the master.
 */
export function probeBind(address: BindAddress): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', (error: NodeJS.ErrnoException) => {
      const where = formatBind(address);
      reject(
        error.code === 'EADDRINUSE'
          ? new AddressInUseError(PREFORK_BIND, where)
          : new BindError(where, error),
      );
    });
    server.listen({ host: address.host, port: address.port, exclusive: true }, () => {
      const bound = server.address();
      const port = typeof bound === 'object' && bound ? bound.port : address.port;
      server.close(() => resolve(port));
    });
  });
}
