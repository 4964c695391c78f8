/**
 * The dashboard's HTTP server (circus-web for Node), run inside the supervisor: the page and its
 * scripts, a JSON API that hands every command to the supervisor's one dispatcher (`execute`, as
 * the control endpoint does: no second source of truth), and a Server-Sent Events stream of the
 * stats snapshots and events. Security rules are in `security.ts`.
 *
 *   GET  /                 the page (and /dashboard.js, /charts.js, /dashboard.css, /vendor/*)
 *   GET  /api/status       `status` result                     open on loopback
 *   GET  /api/stats        latest `stats` snapshot             open on loopback
 *   GET  /api/events       SSE: init, then stats and event     open on loopback
 *   POST /api/command      {"command":"incr","watcher":"web"}  token required
 */
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { StackbenchError } from '@stackbench/cli';
import { type ControlRequest, isStreaming, parseRequest } from '../commands/index.js';
import { isLoopback } from '../config/addresses.js';
import type { DashboardAddress } from '../config/types.js';
import { toWireError } from '../control/server.js';
import { BadRequestError, BusyError } from '../errors.js';
import {
  DASHBOARD_HEADERS_TIMEOUT_MS,
  MAX_BODY_BYTES,
  MAX_DASHBOARD_CONNECTIONS,
  MAX_EVENT_STREAMS,
} from '../limits.js';
import { loadAssets } from './assets.js';
import { BodyTooLargeError, DashboardForbiddenError, DashboardListenError } from './errors.js';
import { LiveFeed, type LiveSource } from './live.js';
import { checkHost, checkOrigin, checkToken } from './security.js';

/** What the dashboard needs from the supervisor (a `Supervisor` is one). */
export interface DashboardSource extends LiveSource {
  readonly token: string;
  /** Resolves when the supervisor has shut down; the dashboard then closes too. */
  readonly done: Promise<void>;
  readonly config: { supervisor: { statsIntervalMs: number } };
  execute(request: ControlRequest): Promise<unknown>;
}

export interface DashboardOptions {
  /** Chart history a newly opened page receives (default 300 s). */
  historySeconds?: number;
  /** Reads without the token; default: only when listening on loopback. */
  openReads?: boolean;
}

export interface Dashboard {
  /** `http://127.0.0.1:PORT/`, with port 0 resolved; the token goes in the fragment. */
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

const SECURITY_HEADERS = {
  // Scripts only from this origin: no inline script, no eval (vega runs its expression
  // interpreter instead of compiling with `new Function`).
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
};

function statusOf(error: unknown): number {
  if (error instanceof DashboardForbiddenError) return 403;
  if (error instanceof BodyTooLargeError) return 413;
  if (error instanceof BusyError) return 503;
  if (error instanceof StackbenchError) return error.exitCode === 2 ? 400 : 409;
  return 500;
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
  });
  response.end(JSON.stringify(body));
}

/**
 * Reads a JSON body of at most MAX_BODY_BYTES. Past it the rest is read and dropped (up to a
 * few times the limit) so the client gets its 413 instead of a reset connection; a client that
 * keeps sending past that is cut off.
 */
function readJson(request: IncomingMessage): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const declared = Number(request.headers['content-length'] ?? 0);
    if (declared > MAX_BODY_BYTES * 16) {
      reject(new BodyTooLargeError(MAX_BODY_BYTES));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
      else if (size > MAX_BODY_BYTES * 16) request.destroy();
    });
    request.on('end', () => {
      if (size > MAX_BODY_BYTES) {
        reject(new BodyTooLargeError(MAX_BODY_BYTES));
        return;
      }
      try {
        resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      } catch {
        reject(new BadRequestError('the body must be a JSON object like {"command":"list"}'));
      }
    });
    request.on('error', reject);
  });
}

export async function startDashboard(
  source: DashboardSource,
  address: DashboardAddress,
  options: DashboardOptions = {},
): Promise<Dashboard> {
  const label = `${address.host.includes(':') ? `[${address.host}]` : address.host}:${address.port}`;
  let assets: ReturnType<typeof loadAssets>;
  try {
    assets = loadAssets();
  } catch (error) {
    throw new DashboardListenError(label, `page files missing: ${(error as Error).message}`);
  }
  // Reads are open on loopback only; a dashboard exposed on purpose wants the token for all.
  const openReads = options.openReads ?? isLoopback(address.host);
  const live = new LiveFeed(source, {
    historyMs: (options.historySeconds ?? 300) * 1000,
    statsIntervalMs: source.config.supervisor.statsIntervalMs,
    eventCount: 200,
  });
  let port = address.port;

  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    let url: URL;
    try {
      url = new URL(request.url ?? '/', 'http://dashboard.invalid');
    } catch {
      throw new BadRequestError(`not a valid request target: ${JSON.stringify(request.url)}`);
    }
    const headers = request.headers;
    checkHost(headers, port);
    checkOrigin(headers);
    const method = request.method ?? 'GET';
    const asset = assets.get(url.pathname);
    if (asset && (method === 'GET' || method === 'HEAD')) {
      response.writeHead(200, { 'content-type': asset.contentType, 'cache-control': 'no-cache' });
      response.end(method === 'HEAD' ? undefined : asset.body);
      return;
    }
    if (url.pathname === '/api/command') {
      if (method !== 'POST') return sendJson(response, 405, { ok: false, error: 'use POST' });
      checkToken(headers, source.token);
      if (!/^application\/json\b/.test(headers['content-type'] ?? '')) {
        throw new BadRequestError('Content-Type must be application/json');
      }
      const command = parseRequest(await readJson(request));
      if (isStreaming(command)) {
        throw new BadRequestError(`${command.command} streams: use GET /api/events`);
      }
      return sendJson(response, 200, { ok: true, result: await source.execute(command) });
    }
    if (method !== 'GET') return sendJson(response, 405, { ok: false, error: 'use GET' });
    if (!openReads) checkToken(headers, source.token);
    switch (url.pathname) {
      case '/api/status':
        return sendJson(response, 200, await source.execute({ command: 'status' }));
      case '/api/stats':
        return sendJson(response, 200, await source.execute({ command: 'stats' }));
      case '/api/events':
        if (live.clientCount >= MAX_EVENT_STREAMS) {
          throw new BusyError('dashboard event streams', MAX_EVENT_STREAMS);
        }
        return live.attach(response, { status: await source.execute({ command: 'status' }) });
      default:
        return sendJson(response, 404, { ok: false, error: `no such page: ${url.pathname}` });
    }
  };

  const server = http.createServer(
    // Slow senders (slowloris) must not hold connections: headers within 10 s.
    {
      headersTimeout: DASHBOARD_HEADERS_TIMEOUT_MS,
      requestTimeout: DASHBOARD_HEADERS_TIMEOUT_MS * 3,
    },
    (request, response) => {
      for (const [name, value] of Object.entries(SECURITY_HEADERS)) response.setHeader(name, value);
      handle(request, response).catch((error: unknown) => {
        if (response.headersSent) response.destroy();
        else sendJson(response, statusOf(error), { ok: false, error: toWireError(error) });
      });
    },
  );
  // Past the cap a connection gets a plain 503 and is closed before any request is parsed.
  let open = 0;
  server.on('connection', (socket) => {
    if (open >= MAX_DASHBOARD_CONNECTIONS) {
      const body = JSON.stringify({
        ok: false,
        error: toWireError(new BusyError('dashboard connections', MAX_DASHBOARD_CONNECTIONS)),
      });
      socket.end(
        `HTTP/1.1 503 Service Unavailable\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
        () => socket.destroy(),
      );
      return;
    }
    open++;
    socket.once('close', () => open--);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      live.close();
      reject(new DashboardListenError(label, error.code ?? error.message));
    });
    server.listen(address.port, address.host, resolve);
  });
  port = (server.address() as AddressInfo).port;
  const host = address.host.includes(':') ? `[${address.host}]` : address.host;

  let closing: Promise<void> | undefined;
  const dashboard: Dashboard = {
    url: `http://${host}:${port}/`,
    port,
    close() {
      closing ??= new Promise<void>((resolve) => {
        live.close();
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closing;
    },
  };
  void source.done.then(() => dashboard.close());
  return dashboard;
}
