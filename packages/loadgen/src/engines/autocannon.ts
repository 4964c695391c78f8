/**
 * The `autocannon` engine: a shard's users are the `connections` of one autocannon 9 instance
 * (pipelining 1, so each is a closed loop), driven through its programmatic API. Its figures go
 * into the same recorder as the native engine's, as autocannon reports them:
 *
 * - latency: the `responseTime` of its `response` event (autocannon's own clock);
 * - status: that event's status code; body rule: its `verifyBody` hook, called right after;
 * - failures: the client events behind `reqError` (`connError` by error code, `timeout`).
 *
 * Which request a response or error belongs to (for the window's accounting) comes from our own
 * per-connection stamp of its latest `request` event: with pipelining 1 a connection has exactly
 * one request outstanding, the latest one it sent. Requests autocannon drops without any event
 * (it reconnects after a server close and forgets the request) end up neither completed nor
 * outstanding: the shard counts them as `lost`. Responses whose autocannon latency exceeds our
 * own clock were matched to an earlier request in autocannon's stale queue (`staleLatencies`).
 */
import type { EventEmitter } from 'node:events';
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';
import autocannon from 'autocannon';
import { classifySocketError, type FailureKind } from '../failure-kind.js';
import type { Target } from '../target.js';
import type { UserSink } from '../user.js';
import type { LoadEngine, RunningUsers } from './engine.js';

/** Per connection: start of its outstanding request and of the one before (-1: none). */
interface Stamps {
  pending: number;
  previous: number;
  /** Has had a response or an error (`onFirstResponse` was called). */
  responded: boolean;
}

/** autocannon's own stop timer is only a backstop: we stop it at the window's end. */
const BACKSTOP_S = 3600;
/** How often autocannon checks its stop flag; its `done` comes at most this late, ms. */
const SAMPLE_MS = 100;

const version = (createRequire(import.meta.url)('autocannon/package.json') as { version: string })
  .version;

type AutocannonClient = autocannon.Client;
/** What autocannon 9's `Client` also has (lib/httpClient.js) beyond its published types. */
type RawClient = EventEmitter & { destroy(): void };

function run(target: Target, connections: number, sink: UserSink): RunningUsers {
  const clients: AutocannonClient[] = [];
  const stamps = new WeakMap<AutocannonClient, Stamps>();
  const bodyRegex = target.expectBody === undefined ? null : new RegExp(target.expectBody);
  /** A response with the right status waiting for `verifyBody`, which autocannon calls next. */
  let awaitingBody: { start: number; end: number; latency: number } | null = null;

  // A connection is a user: its first outcome tells the adaptive warm-up it has responded.
  const responded = (s: Stamps) => {
    if (s.responded) return;
    s.responded = true;
    sink.onFirstResponse?.();
  };
  const fail = (s: Stamps, start: number, kind: FailureKind, detail: string) => {
    if (start < 0) return;
    sink.onFailure(start, performance.now(), kind, detail);
    responded(s);
  };
  const setupClient = (client: AutocannonClient) => {
    const s: Stamps = { pending: -1, previous: -1, responded: false };
    const raw = client as unknown as RawClient;
    clients.push(client);
    stamps.set(client, s);
    raw.on('request', () => {
      s.previous = s.pending;
      s.pending = performance.now();
      sink.onSent(s.pending);
    });
    raw.on('connError', (error: NodeJS.ErrnoException) => {
      const start = s.pending;
      s.pending = -1;
      fail(s, start, classifySocketError(error), error.code ?? 'ERROR');
    });
    // autocannon sends the next request before it emits `timeout`: the one that timed out is
    // the previous one.
    raw.on('timeout', () => {
      const start = s.previous;
      s.previous = -1;
      fail(s, start, 'timeout', '');
    });
  };
  const verifyBody = (body: unknown) => {
    const waiting = awaitingBody;
    awaitingBody = null;
    if (waiting) {
      if (bodyRegex!.test(String(body)))
        sink.onSuccess(waiting.start, waiting.end, waiting.latency);
      else sink.onFailure(waiting.start, waiting.end, 'bodyMismatch', '');
    }
    return true;
  };

  let settle: (error?: Error) => void = () => {};
  const closed = new Promise<void>((resolve, reject) => {
    settle = (error) => (error ? reject(error) : resolve());
  });
  const instance = autocannon(
    {
      url: target.url,
      connections,
      pipelining: 1,
      duration: BACKSTOP_S,
      timeout: target.timeoutMs / 1000,
      sampleInt: SAMPLE_MS,
      headers: { 'user-agent': 'stackbench-load', accept: '*/*' },
      setupClient,
      ...(bodyRegex ? { verifyBody } : {}),
    },
    (error: Error | null) => settle(error ?? undefined),
  );
  instance.on('response', (client, statusCode, resBytes, responseTime) => {
    const end = performance.now();
    const s = stamps.get(client);
    // A response always follows a request of its connection; the fallback is autocannon's clock.
    const start = s && s.pending >= 0 ? s.pending : end - responseTime;
    if (s) s.pending = -1;
    sink.onBytes(resBytes);
    if (statusCode !== target.expectStatus) {
      sink.onFailure(start, end, 'status', String(statusCode));
    } else if (bodyRegex) {
      awaitingBody = { start, end, latency: responseTime };
    } else {
      sink.onSuccess(start, end, responseTime);
    }
    if (s) responded(s);
  });

  return {
    stop() {
      const outstanding = clients.map((client) => stamps.get(client)!.pending);
      // Destroying the clients stops the load now; autocannon's `stop()` alone waits for its
      // next sample tick, and clients would keep sending until then.
      for (const client of clients) (client as unknown as RawClient).destroy();
      instance.stop();
      return outstanding;
    },
    closed,
  };
}

export const autocannonEngine: LoadEngine = {
  name: 'autocannon',
  client: `autocannon@${version}`,
  start(target: Target, startsMs: number[], sink: UserSink): RunningUsers {
    // One instance starts all its connections at once (a ramp-up is refused by validation).
    let running: RunningUsers | null = null;
    let stopped = false;
    let settle: (p: Promise<void>) => void = () => {};
    const closed = new Promise<void>((resolve) => {
      settle = resolve;
    });
    const timer = setTimeout(
      () => {
        if (stopped) return;
        running = run(target, startsMs.length, sink);
        settle(running.closed);
      },
      Math.max(0, Math.min(...startsMs) - performance.now()),
    );
    return {
      stop() {
        stopped = true;
        clearTimeout(timer);
        if (running) return running.stop();
        settle(Promise.resolve());
        return [];
      },
      closed,
    };
  },
};
