/**
 * The `req` an app sees inside a pool thread: a Readable of the already-received body with the
 * documented IncomingMessage fields (method, url, headers, rawHeaders, httpVersion, socket
 * addresses). Not supported: trailers, upgrade/CONNECT, streaming the body as it arrives.
 */
import { Readable } from 'node:stream';
import type { ThreadTask } from './thread-messages.js';

export interface SocketInfo {
  remoteAddress: string | undefined;
  remotePort: number | undefined;
  localAddress: string | undefined;
  localPort: number | undefined;
  encrypted: false;
  setTimeout(): SocketInfo;
  setNoDelay(): SocketInfo;
  setKeepAlive(): SocketInfo;
  destroy(): void;
}

export function socketInfo(task: ThreadTask): SocketInfo {
  const info: SocketInfo = {
    remoteAddress: task.remoteAddress,
    remotePort: task.remotePort,
    localAddress: task.localAddress,
    localPort: task.localPort,
    encrypted: false,
    setTimeout: () => info,
    setNoDelay: () => info,
    setKeepAlive: () => info,
    destroy: () => {},
  };
  return info;
}

export class ThreadIncoming extends Readable {
  readonly method: string;
  readonly url: string;
  readonly headers: ThreadTask['headers'];
  readonly rawHeaders: string[];
  readonly httpVersion: string;
  readonly httpVersionMajor: number;
  readonly httpVersionMinor: number;
  readonly trailers: Record<string, string> = {};
  readonly rawTrailers: string[] = [];
  readonly socket: SocketInfo;
  readonly connection: SocketInfo;
  /** The body is complete before the handler runs. */
  readonly complete = true;
  aborted = false;

  constructor(task: ThreadTask, socket: SocketInfo) {
    super();
    this.method = task.method;
    this.url = task.url;
    this.headers = task.headers;
    this.rawHeaders = task.rawHeaders;
    this.httpVersion = task.httpVersion;
    const [major, minor] = task.httpVersion.split('.').map(Number);
    this.httpVersionMajor = major ?? 1;
    this.httpVersionMinor = minor ?? 1;
    this.socket = socket;
    this.connection = socket;
    if (task.body.byteLength > 0) {
      this.push(Buffer.from(task.body.buffer, task.body.byteOffset, task.body.byteLength));
    }
    this.push(null);
  }

  override _read(): void {}

  setTimeout(): this {
    return this;
  }
}
