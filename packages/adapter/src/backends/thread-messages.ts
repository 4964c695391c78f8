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
  /**
   * Abandoned-request flags, shared by all threads: slot `id % length` holds `id` once the client
   * of request `id` has gone. (A BroadcastChannel lost messages under load; shared memory cannot.)
   */
  abortFlags: SharedArrayBuffer;
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

/** Slots in the shared abort table: more than the requests a process will ever have in flight. */
export const abortSlots = 65_536;
/** Request ids stay positive int32 values. */
export const maxRequestId = 2_000_000_000;
