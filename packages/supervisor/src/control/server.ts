/**
 * The control endpoint: a Unix socket (mode 0600, by default next to the config) or a loopback TCP
 * port (requests must then carry the token). Each line is a request, dispatched through the one
 * `execute` function; `events` and `stats` with `follow` stream until the client leaves.
 * Everything a client can make it hold is bounded before authentication (src/limits.ts): line
 * length, connections, time to present the token, idle time.
 */
import { chmodSync, existsSync, lstatSync, unlinkSync } from 'node:fs';
import net from 'node:net';
import { messageOf, StackbenchError } from '@stackbench/cli';
import type { ControlRequest } from '../commands/index.js';
import { isStreaming, parseRequest } from '../commands/index.js';
import { formatEndpoint } from '../config/addresses.js';
import type { Endpoint } from '../config/types.js';
import { BadRequestError, BusyError, EndpointError, TokenError } from '../errors.js';
import type { SupervisorEvent, Unsubscribe } from '../events.js';
import {
  AUTH_TIMEOUT_MS,
  IDLE_TIMEOUT_MS,
  MAX_CONTROL_CONNECTIONS,
  MAX_REQUEST_BYTES,
} from '../limits.js';
import type { StatsSnapshot } from '../stats/types.js';
import { tokenMatches } from '../token.js';
import { LineReader } from './line-reader.js';
import { MAX_BUFFERED_BYTES, type WireError, type WireLine } from './protocol.js';

export interface ControlHandler {
  execute(request: ControlRequest): Promise<unknown>;
  subscribe(listener: (event: SupervisorEvent) => void): Unsubscribe;
  subscribeStats(listener: (snapshot: StatsSnapshot) => void): Unsubscribe;
}

export function toWireError(error: unknown): WireError {
  // Never an internal error for what a client sent: bad JSON nesting, odd types and so on are
  // caught as BadRequestError before they get here; anything else is a bug and says so.
  if (error instanceof StackbenchError) {
    return { code: error.code, message: error.message, exitCode: error.exitCode };
  }
  const message = messageOf(error);
  return { code: 'SUPERVISOR_INTERNAL', message: `internal error: ${message}`, exitCode: 1 };
}

async function prepareUnixPath(path: string, label: string): Promise<void> {
  if (!existsSync(path)) return;
  if (!lstatSync(path).isSocket())
    throw new EndpointError(label, `${path} exists and is not a socket`);
  const alive = await new Promise<boolean>((resolve) => {
    const probe = net.connect(path);
    probe.once('connect', () => {
      probe.destroy();
      resolve(true);
    });
    probe.once('error', () => resolve(false));
  });
  if (alive) throw new EndpointError(label, 'another supervisor is already listening there');
  unlinkSync(path);
}

export class ControlServer {
  private readonly connections = new Set<net.Socket>();

  private constructor(
    private readonly server: net.Server,
    readonly endpoint: Endpoint,
  ) {}

  static async open(
    endpoint: Endpoint,
    handler: ControlHandler,
    token: string,
  ): Promise<ControlServer> {
    const label = formatEndpoint(endpoint);
    const server = net.createServer();
    const control = new ControlServer(server, endpoint);
    server.on('connection', (socket) =>
      control.serve(socket, handler, endpoint.kind === 'tcp' ? token : undefined),
    );
    if (endpoint.kind === 'unix') await prepareUnixPath(endpoint.path, label);
    // For Unix sockets the umask makes the file 0600 from the start (no window where others connect).
    const previous = endpoint.kind === 'unix' ? process.umask(0o177) : undefined;
    try {
      await new Promise<void>((resolve, reject) => {
        server.once('error', (error) => reject(new EndpointError(label, error.message)));
        if (endpoint.kind === 'unix') server.listen(endpoint.path, resolve);
        else server.listen(endpoint.port, endpoint.host, resolve);
      });
    } finally {
      if (previous !== undefined) process.umask(previous);
    }
    if (endpoint.kind === 'unix') chmodSync(endpoint.path, 0o600);
    return control;
  }

  /** The real address (TCP port 0 resolved). */
  get address(): string {
    const address = this.server.address();
    if (typeof address === 'object' && address) return `tcp://${address.address}:${address.port}`;
    return formatEndpoint(this.endpoint);
  }

  private serve(socket: net.Socket, handler: ControlHandler, token: string | undefined): void {
    socket.on('error', () => {});
    const send = (line: WireLine) => {
      if (socket.destroyed) return;
      if (socket.writableLength > MAX_BUFFERED_BYTES) {
        socket.destroy();
        return;
      }
      socket.write(`${JSON.stringify(line)}\n`);
    };
    // Refuse past the cap with a line that says why; the slot is never taken.
    if (this.connections.size >= MAX_CONTROL_CONNECTIONS) {
      const error = toWireError(new BusyError('control connections', MAX_CONTROL_CONNECTIONS));
      socket.end(`${JSON.stringify({ ok: false, error })}\n`, () => socket.destroy());
      return;
    }
    this.connections.add(socket);
    const unsubscribers: Unsubscribe[] = [];
    let streaming = false;
    // TCP: a connection that has not presented the token in time is closed (Unix: mode 0600).
    let authTimer: NodeJS.Timeout | undefined =
      token === undefined
        ? undefined
        : setTimeout(() => {
            send({ ok: false, error: toWireError(new TokenError('no token in time')) });
            socket.destroy();
          }, AUTH_TIMEOUT_MS);
    socket.setTimeout(IDLE_TIMEOUT_MS, () => {
      if (!streaming) socket.destroy();
    });
    socket.on('close', () => {
      clearTimeout(authTimer);
      this.connections.delete(socket);
      for (const unsubscribe of unsubscribers) unsubscribe();
    });
    const reader = new LineReader(MAX_REQUEST_BYTES);
    let dropping = false;
    socket.on('data', (chunk: Buffer) => {
      if (dropping) return;
      const { lines, overflow } = reader.push(chunk);
      for (const line of lines) void handle(line);
      if (overflow) {
        // Say why, then close; what the client still sends is read and dropped (never held)
        // for a moment, so the answer is not lost to a reset.
        dropping = true;
        const error = new BadRequestError(
          `request line over ${MAX_REQUEST_BYTES} bytes; connection closed`,
        );
        send({ ok: false, error: toWireError(error) });
        socket.end();
        setTimeout(() => socket.destroy(), 1000).unref();
      }
    });
    const handle = async (line: string) => {
      if (line.trim() === '' || socket.destroyed) return;
      let id: unknown;
      try {
        let raw: unknown;
        try {
          raw = JSON.parse(line);
        } catch {
          throw new BadRequestError(`not JSON: ${JSON.stringify(line.slice(0, 80))}`);
        }
        if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
          throw new BadRequestError('a request must be a JSON object like {"command":"list"}');
        }
        const record = raw as Record<string, unknown>;
        id = Object.hasOwn(record, 'id') ? record.id : undefined;
        if (token !== undefined) {
          if (!tokenMatches(token, Object.hasOwn(record, 'token') ? record.token : undefined)) {
            throw new TokenError();
          }
          clearTimeout(authTimer);
          authTimer = undefined;
        }
        const request = parseRequest(raw);
        const result = await handler.execute(request);
        send({ id, ok: true, result });
        if (isStreaming(request)) {
          streaming = true;
          unsubscribers.push(handler.subscribe((event) => send({ id, event })));
        } else if (request.command === 'stats' && record.follow === true) {
          streaming = true;
          unsubscribers.push(handler.subscribeStats((stats) => send({ id, stats })));
        }
      } catch (error) {
        send({ id, ok: false, error: toWireError(error) });
      }
    };
  }

  async close(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const socket of this.connections) socket.end();
    // A client that never closes its side must not hold the shutdown.
    const timer = setTimeout(() => {
      for (const socket of this.connections) socket.destroy();
    }, 500);
    await closed;
    clearTimeout(timer);
    if (this.endpoint.kind === 'unix') {
      try {
        unlinkSync(this.endpoint.path);
      } catch {}
    }
  }
}
