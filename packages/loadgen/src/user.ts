/**
 * One simulated user, a closed loop (Funkload's thread): send, wait for the complete response
 * (or a failure), think, repeat. With `onIdle` it is one connection of an open loop's pool
 * instead: after each request it reports itself idle and sends when told (`sendNow`). Raw `net` sockets and the HTTP parser autocannon uses
 * (http-parser-js), but with our own connection handling: every request that is started ends in
 * exactly one of success, failure (by kind) or "in flight when stopped", also across resets,
 * early closes and timeouts (autocannon's client re-queues or drops those; see README).
 */
import net from 'node:net';
import { performance } from 'node:perf_hooks';
import { HTTPParser } from 'http-parser-js';
import { classifySocketError, type FailureKind } from './failure-kind.js';
import type { Target } from './target.js';

/** Where a user reports; times are `performance.now()` of the user's thread, ms. */
export interface UserSink {
  onSent(startMs: number): void;
  /** `latencyMs`: the engine's own figure when it measures latency itself (autocannon). */
  onSuccess(startMs: number, endMs: number, latencyMs?: number): void;
  onFailure(startMs: number, endMs: number, kind: FailureKind, detail: string): void;
  onBytes(bytes: number): void;
  /**
   * A user's first completed request (success or failure), once per user: the adaptive warm-up
   * waits for every user. Only the closed loop's recorder listens.
   */
  onFirstResponse?(): void;
}

/** Bodies are kept only when a regex must match them, and only this much of them. */
const BODY_CAP = 1 << 20;

export class User {
  private socket: net.Socket | null = null;
  /** Start of the outstanding request, or -1 when idle or thinking. */
  private startMs = -1;
  /** The outstanding request's timeout. */
  private requestTimer: NodeJS.Timeout | null = null;
  /** Think time before the next request. */
  private thinkTimer: NodeJS.Timeout | null = null;
  private stopped = false;
  /** Has completed a request (`onFirstResponse` was called). */
  private responded = false;
  private status = 0;
  private keepAlive = true;
  private body = '';
  private readonly bodyRegex: RegExp | null;

  constructor(
    private readonly target: Target,
    private readonly sink: UserSink,
    /** Keep the body even without a regex (preflight shows it). */
    private readonly keepBody = false,
    /** Open loop: called when a request has ended, instead of sending the next one. */
    private readonly onIdle: (() => void) | null = null,
  ) {
    this.bodyRegex = target.expectBody === undefined ? null : new RegExp(target.expectBody);
  }

  get lastStatus(): number {
    return this.status;
  }
  get lastBody(): string {
    return this.body;
  }

  start(): void {
    this.send();
  }

  /** Open loop: connects ahead of the first request, so its connect is not in the schedule. */
  open(): void {
    this.socket ??= this.connect();
  }

  /** Open loop: sends one request now (the user must be idle). */
  sendNow(): void {
    this.send();
  }

  /** Stops the loop and closes the connection; returns the outstanding request's start or -1. */
  stop(): number {
    this.stopped = true;
    this.clearRequestTimer();
    if (this.thinkTimer) clearTimeout(this.thinkTimer);
    this.thinkTimer = null;
    const outstanding = this.startMs;
    this.startMs = -1;
    this.dropSocket();
    return outstanding;
  }

  private send = (): void => {
    this.thinkTimer = null;
    if (this.stopped) return;
    this.startMs = performance.now();
    this.status = 0;
    this.body = '';
    this.sink.onSent(this.startMs);
    this.requestTimer = setTimeout(this.onTimeout, this.target.timeoutMs);
    const socket = this.socket ?? this.connect();
    socket.write(this.target.request);
  };

  private connect(): net.Socket {
    const socket = net.connect({ host: this.target.host, port: this.target.port });
    socket.setNoDelay(true);
    const parser = new HTTPParser(HTTPParser.RESPONSE);
    parser[HTTPParser.kOnHeadersComplete] = (info) => {
      this.status = info.statusCode;
      this.keepAlive = info.shouldKeepAlive;
    };
    parser[HTTPParser.kOnBody] = (chunk, offset, length) => {
      if ((this.bodyRegex || this.keepBody) && this.body.length < BODY_CAP) {
        this.body += chunk.toString('utf8', offset, offset + length);
      }
    };
    parser[HTTPParser.kOnMessageComplete] = () => {
      if (this.socket === socket) this.complete();
    };
    socket.on('data', (chunk: Buffer) => {
      if (this.socket !== socket) return;
      this.sink.onBytes(chunk.length);
      const result = parser.execute(chunk);
      if (result instanceof Error && this.socket === socket) {
        this.fail('other', 'HPE_INVALID_RESPONSE', true);
      }
    });
    socket.on('error', (error: NodeJS.ErrnoException) => {
      if (this.socket !== socket) return;
      this.fail(classifySocketError(error), error.code ?? 'ERROR', true);
    });
    const onGone = () => {
      if (this.socket !== socket) return;
      // A response delimited by the end of the connection completes only now.
      if (this.startMs >= 0) parser.finish();
      if (this.socket !== socket) return;
      this.fail('connectionClosed', 'closed', true);
    };
    socket.on('end', onGone);
    socket.on('close', onGone);
    this.socket = socket;
    return socket;
  }

  private complete(): void {
    if (this.startMs < 0) return; // unsolicited bytes between requests: not ours to count
    const endMs = performance.now();
    const dropConnection = this.target.closeEach || !this.keepAlive;
    if (this.status !== this.target.expectStatus) {
      this.fail('status', String(this.status), dropConnection);
      return;
    }
    if (this.bodyRegex && !this.bodyRegex.test(this.body)) {
      this.fail('bodyMismatch', '', dropConnection);
      return;
    }
    this.clearRequestTimer();
    const startMs = this.startMs;
    this.startMs = -1;
    if (dropConnection) this.dropSocket();
    this.sink.onSuccess(startMs, endMs);
    this.firstResponse();
    this.next();
  }

  /** Ends the outstanding request as a failure (if any) and carries on. */
  private fail(kind: FailureKind, detail: string, dropConnection: boolean): void {
    if (dropConnection) this.dropSocket();
    if (this.startMs < 0) return; // an idle keep-alive connection went away: not a failure
    const endMs = performance.now();
    this.clearRequestTimer();
    const startMs = this.startMs;
    this.startMs = -1;
    this.sink.onFailure(startMs, endMs, kind, detail);
    this.firstResponse();
    this.next();
  }

  private firstResponse(): void {
    if (this.responded) return;
    this.responded = true;
    this.sink.onFirstResponse?.();
  }

  private onTimeout = (): void => {
    this.requestTimer = null;
    this.fail('timeout', '', true);
  };

  private next(): void {
    if (this.stopped) return;
    if (this.onIdle) {
      this.onIdle();
      return;
    }
    // Synchronous when there is no think time: every failure arrives from an event, so this
    // cannot recurse, and it spares a tick per request (as autocannon does).
    if (this.target.sleepMs > 0) this.thinkTimer = setTimeout(this.send, this.target.sleepMs);
    else this.send();
  }

  private clearRequestTimer(): void {
    if (this.requestTimer) clearTimeout(this.requestTimer);
    this.requestTimer = null;
  }

  private dropSocket(): void {
    const socket = this.socket;
    if (!socket) return;
    this.socket = null;
    socket.destroy();
  }
}
