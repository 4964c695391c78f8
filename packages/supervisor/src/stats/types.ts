/** The per-interval statistics snapshot: plain JSON, the same in-process and over the endpoint. */

export interface ProcessStats {
  pid: number;
  wid: number;
  state: 'starting' | 'ready' | 'stopping' | 'exited';
  /** Percent of one core over the last interval. */
  cpu: number;
  rssBytes: number;
  ageSeconds: number;
  /** Cumulative counters from the worker's IPC `stats` reports (0 for workers without IPC). */
  requests: number;
  inFlight: number;
  errors: number;
  requestsPerSecond: number;
}

export interface WatcherTotals {
  processes: number;
  cpu: number;
  rssBytes: number;
  /** Including processes that have exited. */
  requests: number;
  errors: number;
  inFlight: number;
  requestsPerSecond: number;
}

export interface WatcherStats {
  name: string;
  state: 'active' | 'stopped';
  stopReason: string;
  numprocesses: number;
  restarts: number;
  processes: ProcessStats[];
  totals: WatcherTotals;
}

export interface SocketStats {
  name: string;
  address: string;
  /** fd number in the workers. */
  fd: number;
  backlog: number;
  /** Connections waiting to be accepted (null if it could not be read). */
  acceptQueue: number | null;
  /** Requests/s of the processes of the watchers that use sockets (the workers report totals). */
  requestsPerSecond: number;
}

export interface StatsSnapshot {
  time: number;
  intervalMs: number;
  supervisor: { pid: number; cpu: number; rssBytes: number };
  watchers: WatcherStats[];
  sockets: SocketStats[];
}
