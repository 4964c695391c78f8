/**
 * Binds every `[socket:NAME]` once, in the supervisor, before any watcher starts, and keeps the
 * listening fd to hand to workers (fd `FIRST_SOCKET_FD + i`). All workers accept on it directly.
 *
 * Why the odd `listen` step: Node has no public way to own a listening socket without accepting on
 * it (libuv starts polling as soon as `listen` is called, and the supervisor would steal
 * connections). So the supervisor only *binds* (`net._createServerHandle`, the same internal that
 * node:cluster uses for shared handles) and a one-shot child calls listen(2) on the inherited fd
 * and exits at once. The socket is then listening in the kernel: connections queue in its backlog
 * even while no worker runs, and no process but the workers ever accepts.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, lstatSync, unlinkSync } from 'node:fs';
import net from 'node:net';
import { fileURLToPath } from 'node:url';
import { getSystemErrorName } from 'node:util';
import type { SocketConfig } from './config/types.js';
import { SocketBindError } from './errors.js';

interface ServerHandle {
  fd: number;
  close(): void;
  getsockname?(out: Record<string, unknown>): number;
}

type CreateServerHandle = (
  address: string | null,
  port: number,
  addressType: number,
  fd?: number,
  flags?: number,
) => ServerHandle | number;

const createServerHandle = (net as unknown as { _createServerHandle: CreateServerHandle })
  ._createServerHandle;

export interface BoundSocket {
  config: SocketConfig;
  /** The listening fd in the supervisor. */
  fd: number;
  /** `127.0.0.1:41234` or `unix:/path`: the real address (port 0 resolved). */
  address: string;
  /** The real port for TCP sockets. */
  port: number | undefined;
}

/** listen(2) with a backlog on an fd happens in a helper process of its own (see there). */
const LISTEN_HELPER = fileURLToPath(new URL('./listen-helper-main.js', import.meta.url));

function listenOnFd(handle: ServerHandle, backlog: number): string | undefined {
  const result = spawnSync(process.execPath, [LISTEN_HELPER, String(backlog)], {
    stdio: ['ignore', 'ignore', 'pipe', handle.fd],
    encoding: 'utf8',
    timeout: 10_000,
  });
  if (result.status === 0) return undefined;
  return result.stderr.trim() || `listen helper failed (${result.error?.message ?? result.status})`;
}

async function removeStaleUnixSocket(path: string): Promise<string | undefined> {
  if (!existsSync(path)) return undefined;
  if (!lstatSync(path).isSocket()) return `${path} exists and is not a socket`;
  const alive = await new Promise<boolean>((done) => {
    const client = net.connect(path);
    client.once('connect', () => {
      client.destroy();
      done(true);
    });
    client.once('error', () => done(false));
  });
  if (alive) return `${path} is in use by a running server`;
  unlinkSync(path);
  return undefined;
}

async function bindOne(config: SocketConfig): Promise<[BoundSocket, ServerHandle]> {
  if (config.family === 'AF_UNIX') {
    const where = `unix:${config.path}`;
    const stale = await removeStaleUnixSocket(config.path);
    if (stale) throw new SocketBindError(config.name, where, stale);
    const previous = process.umask(config.umask);
    let handle: ServerHandle | number;
    try {
      handle = createServerHandle(config.path, -1, -1);
    } finally {
      process.umask(previous);
    }
    if (typeof handle === 'number') {
      throw new SocketBindError(config.name, where, `bind failed (${errorName(handle)})`);
    }
    const failure = listenOnFd(handle, config.backlog);
    if (failure) {
      handle.close();
      throw new SocketBindError(config.name, where, failure);
    }
    return [{ config, fd: handle.fd, address: where, port: undefined }, handle];
  }
  const type = config.family === 'AF_INET6' ? 6 : 4;
  const where = `${config.host}:${config.port}`;
  const handle = createServerHandle(config.host, config.port, type, undefined, 0);
  if (typeof handle === 'number') {
    throw new SocketBindError(config.name, where, errorName(handle));
  }
  // libuv defers EADDRINUSE from bind to listen; getsockname reports it.
  const out: Record<string, unknown> = {};
  const status = handle.getsockname?.(out) ?? 0;
  if (status !== 0) {
    handle.close();
    throw new SocketBindError(config.name, where, errorName(status));
  }
  const failure = listenOnFd(handle, config.backlog);
  if (failure) {
    handle.close();
    throw new SocketBindError(config.name, where, failure);
  }
  const port = Number(out.port);
  const host = type === 6 ? `[${config.host}]` : config.host;
  return [{ config, fd: handle.fd, address: `${host}:${port}`, port }, handle];
}

function errorName(code: number): string {
  const name = getSystemErrorName(code);
  return name === 'EADDRINUSE' ? 'address already in use (EADDRINUSE)' : name;
}

/** Binds all sockets in order; on the first failure closes the others and throws. */
export async function bindSockets(configs: readonly SocketConfig[]): Promise<OwnedSockets> {
  const owned = new OwnedSockets();
  try {
    for (const config of configs) owned.add(await bindOne(config));
  } catch (error) {
    owned.close();
    throw error;
  }
  return owned;
}

/** The bound sockets; closing them (at supervisor exit) releases the ports and Unix paths. */
export class OwnedSockets {
  private readonly entries: [BoundSocket, ServerHandle][] = [];

  get list(): BoundSocket[] {
    return this.entries.map(([socket]) => socket);
  }

  add([socket, handle]: [BoundSocket, ServerHandle]): void {
    this.entries.push([socket, handle]);
  }

  /** Workers keep their own copies of the fds until they exit; this only drops ours. */
  close(): void {
    for (const [socket, handle] of this.entries) {
      handle.close();
      if (socket.config.family === 'AF_UNIX') {
        try {
          unlinkSync(socket.config.path);
        } catch {}
      }
    }
    this.entries.length = 0;
  }
}
