/**
 * What crosses between the main thread and a pool thread in the `threads` backend: the parsed
 * request goes in, the buffered response comes back. Plain structured-clone data; bodies are
 * transferred, not copied.
 */
import type { IncomingHttpHeaders } from 'node:http';

/** `workerData` of every pool thread. */
export interface ThreadSetup {
  app: string;
  cwd: string;
  /** BroadcastChannel name on which the main thread posts ids of abandoned requests. */
  abortChannel: string;
}

export interface ThreadTask {
  id: number;
  method: string;
  url: string;
  httpVersion: string;
  headers: IncomingHttpHeaders;
  rawHeaders: string[];
  remoteAddress: string | undefined;
  remotePort: number | undefined;
  localAddress: string | undefined;
  localPort: number | undefined;
  body: Uint8Array;
}

export type HeaderValue = string | number | string[];

export type ThreadResult =
  | {
      kind: 'response';
      status: number;
      statusMessage: string | undefined;
      /** [name as the app wrote it, value], in the order set. */
      headers: [string, HeaderValue][];
      body: Uint8Array;
    }
  | { kind: 'fault'; error: string }
  | { kind: 'abandoned' };
