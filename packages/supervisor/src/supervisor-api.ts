/**
 * What the control commands need from the arbiter. Commands depend on this interface, not on the
 * `Supervisor` class that dispatches to them, so the class and its commands form no import cycle
 * (the dashboard's `DashboardSource` is the same idea).
 */
import type { Config } from './config/types.js';
import type { SupervisorEvent, Unsubscribe } from './events.js';
import type { BoundSocket } from './sockets.js';
import type { StatsSnapshot } from './stats/types.js';
import type { Watcher } from './watcher.js';

export interface SupervisorApi {
  readonly startedAt: number;
  readonly firstSocketFd: number;
  readonly config: Config;
  readonly watchers: readonly Watcher[];
  readonly sockets: readonly BoundSocket[];
  /** The control endpoint's bound address (`tcp://127.0.0.1:PORT` with port 0 resolved). */
  readonly endpoint: string;
  /** The dashboard's bound `host:port` (port 0 resolved), or null when there is none. */
  readonly dashboardAddress: string | null;
  readonly latestStats: StatsSnapshot | undefined;
  /** One watcher by name; an unknown name throws `UnknownWatcherError` listing the valid ones. */
  watcher(name: string): Watcher;
  /** One watcher by name, or all of them. */
  select(name: string | undefined): Watcher[];
  sampleStats(): Promise<StatsSnapshot>;
  shutdown(reason?: string): Promise<void>;
  subscribe(listener: (event: SupervisorEvent) => void): Unsubscribe;
}
