/**
 * Wire format of the control endpoint: newline-delimited JSON, one request per line, answered by
 * one response line with the same `id`; streaming commands then send one line per item. Documented
 * in the README ("Control protocol").
 */
import type { SupervisorEvent } from '../events.js';
import type { StatsSnapshot } from '../stats/types.js';

export interface WireError {
  code: string;
  message: string;
  exitCode: number;
}

export type WireResponse =
  | { id?: unknown; ok: true; result: unknown }
  | { id?: unknown; ok: false; error: WireError };

export type WireStreamItem =
  | { id?: unknown; event: SupervisorEvent }
  | { id?: unknown; stats: StatsSnapshot };

export type WireLine = WireResponse | WireStreamItem;

/** Streams stop for a client that does not read: past this many buffered bytes it is cut off. */
export const MAX_BUFFERED_BYTES = 4 * 1024 * 1024;
