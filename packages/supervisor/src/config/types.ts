/**
 * The validated, typed config: what `loadConfig` returns and everything else trusts. Durations are
 * in milliseconds here (seconds in the INI file, as in Circus).
 */

/** Where the control endpoint listens. */
export type Endpoint = { kind: 'unix'; path: string } | { kind: 'tcp'; host: string; port: number };

export interface DashboardAddress {
  host: string;
  port: number;
}

export interface SupervisorSettings {
  endpoint: Endpoint;
  /** Period of the stats snapshots. */
  statsIntervalMs: number;
  /** A process alive this long counts as started (and as ready for `readiness = delay`). */
  checkDelayMs: number;
  /** Where the web dashboard will listen; undefined when not configured. */
  dashboard: DashboardAddress | undefined;
  /** File (mode 0600) holding the token the dashboard and TCP control clients must present. */
  tokenFile: string;
}

export type SocketConfig =
  | {
      name: string;
      family: 'AF_INET' | 'AF_INET6';
      host: string;
      port: number;
      backlog: number;
    }
  | { name: string; family: 'AF_UNIX'; path: string; umask: number; backlog: number };

/** Where a worker's stdout/stderr go. */
export type StreamTarget = { kind: 'inherit' } | { kind: 'null' } | { kind: 'file'; path: string };

/** How a new process proves it is ready (used by start, incr and the rolling reload). */
export type Readiness = 'ipc' | 'delay';

export interface WatcherConfig {
  name: string;
  /** `cmd` and `args` joined, unsplit: substitutions depend on the process (`$(circus.wid)`). */
  commandLine: string;
  numprocesses: number;
  useSockets: boolean;
  warmupDelayMs: number;
  gracefulTimeoutMs: number;
  respawn: boolean;
  /** Flapping: this many unexpected deaths within `flappingWindowMs` stop the watcher. */
  maxRetry: number;
  flappingWindowMs: number;
  stopSignal: NodeJS.Signals;
  workingDir: string;
  /** The full environment of its processes (supervisor's env, then `env`, then `[env:NAME]`). */
  env: Record<string, string>;
  stdout: StreamTarget;
  stderr: StreamTarget;
  /** Higher starts first (as in Circus). */
  priority: number;
  singleton: boolean;
  readiness: Readiness;
  readyTimeoutMs: number;
}

export interface Config {
  /** Absolute path of the file it came from. */
  file: string;
  supervisor: SupervisorSettings;
  /** In file order: socket i is at fd `FIRST_SOCKET_FD + i` in every process that uses sockets. */
  sockets: SocketConfig[];
  /** Sorted by priority (highest first), then file order. */
  watchers: WatcherConfig[];
}
