/**
 * The `res` an app sees inside a pool thread: a Writable with ServerResponse's header and status
 * API that buffers the body; `finish` hands the whole response back to the main thread. So
 * responses are not streamed (the client gets them when the handler ends), and trailers,
 * informational responses (writeContinue) and socket tricks are no-ops.
 */
import { STATUS_CODES } from 'node:http';
import { Writable } from 'node:stream';
import type { HeaderValue } from './thread-messages.js';
import type { ThreadIncoming } from './thread-request.js';

type OutgoingHeaders = Record<string, HeaderValue> | readonly (string | string[])[];

export class ThreadOutgoing extends Writable {
  statusCode = 200;
  statusMessage: string | undefined = undefined;
  sendDate = true;
  readonly req: ThreadIncoming;
  readonly socket: ThreadIncoming['socket'];
  readonly connection: ThreadIncoming['socket'];
  readonly chunks: Buffer[] = [];
  readonly #headers = new Map<string, [string, HeaderValue]>();
  #headersSent = false;

  constructor(req: ThreadIncoming) {
    super();
    this.req = req;
    this.socket = req.socket;
    this.connection = req.socket;
    // A real ServerResponse reports write-after-end through 'error' too; without a listener it
    // would crash the thread and every request sharing it.
    this.on('error', () => {});
  }

  get headersSent(): boolean {
    return this.#headersSent;
  }

  get finished(): boolean {
    return this.writableEnded;
  }

  setHeader(name: string, value: HeaderValue): this {
    this.#headers.set(name.toLowerCase(), [name, Array.isArray(value) ? [...value] : value]);
    return this;
  }

  appendHeader(name: string, value: string | string[]): this {
    const existing = this.#headers.get(name.toLowerCase());
    const add = Array.isArray(value) ? value : [value];
    if (!existing) return this.setHeader(name, add.length === 1 ? (add[0] as string) : add);
    const prior = Array.isArray(existing[1]) ? existing[1] : [String(existing[1])];
    existing[1] = [...prior, ...add];
    return this;
  }

  setHeaders(headers: Headers | Map<string, HeaderValue>): this {
    for (const [name, value] of headers) this.setHeader(name, value);
    return this;
  }

  getHeader(name: string): HeaderValue | undefined {
    return this.#headers.get(name.toLowerCase())?.[1];
  }

  getHeaders(): Record<string, HeaderValue> {
    const out: Record<string, HeaderValue> = Object.create(null);
    for (const [key, [, value]] of this.#headers) out[key] = value;
    return out;
  }

  getHeaderNames(): string[] {
    return [...this.#headers.keys()];
  }

  hasHeader(name: string): boolean {
    return this.#headers.has(name.toLowerCase());
  }

  removeHeader(name: string): void {
    this.#headers.delete(name.toLowerCase());
  }

  writeHead(status: number, message?: string | OutgoingHeaders, headers?: OutgoingHeaders): this {
    this.statusCode = status;
    let extra = headers;
    if (typeof message === 'string') this.statusMessage = message;
    else extra = message;
    if (Array.isArray(extra)) {
      // Either [[name, value], ...] or the flat raw form [name, value, name, value, ...].
      const pairs = Array.isArray(extra[0])
        ? (extra as string[][]).map((pair) => [pair[0], pair[1]] as const)
        : Array.from(
            { length: extra.length / 2 },
            (_, i) => [extra[2 * i], extra[2 * i + 1]] as const,
          );
      for (const [name, value] of pairs)
        if (name !== undefined) this.appendHeader(String(name), value as string);
    } else if (extra) {
      for (const [name, value] of Object.entries(extra)) this.setHeader(name, value);
    }
    this.#headersSent = true;
    return this;
  }

  flushHeaders(): void {
    this.#headersSent = true;
  }

  writeContinue(): void {}
  writeProcessing(): void {}
  addTrailers(): void {}

  setTimeout(): this {
    return this;
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: () => void): void {
    this.#headersSent = true;
    this.chunks.push(chunk);
    callback();
  }

  /** The response as the main thread needs it. */
  headerList(): [string, HeaderValue][] {
    return [...this.#headers.values()];
  }

  resolvedStatusMessage(): string | undefined {
    return this.statusMessage && this.statusMessage !== STATUS_CODES[this.statusCode]
      ? this.statusMessage
      : undefined;
  }
}
