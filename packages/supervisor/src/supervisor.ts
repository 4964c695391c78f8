/**
 * The arbiter: owns the sockets, the watchers, the control endpoint, the token file and the stats
 * timer. Start-up order matters: config is valid → every socket bound and listening → token file →
 * control endpoint → watchers by priority. A failure before the watchers start spawns nothing.
 */

import { type CommandName, type ControlRequest, execute, type ResultOf } from './commands/index.js';
import { formatEndpoint } from './config/addresses.js';
import { FIRST_SOCKET_FD, socketFds } from './config/load.js';
import type { Config } from './config/types.js';
import { ControlServer } from './control/server.js';
import { type Dashboard, startDashboard } from './dashboard/server.js';
import { UnknownWatcherError } from './errors.js';
import { type EventInput, Hub, type SupervisorEvent, type Unsubscribe } from './events.js';
import { type BoundSocket, bindSockets, type OwnedSockets } from './sockets.js';
import { StatsCollector } from './stats/collector.js';
import type { StatsSnapshot } from './stats/types.js';
import type { SupervisorApi } from './supervisor-api.js';
import { removeTokenFile, writeTokenFile } from './token.js';
import { Watcher } from './watcher.js';

export interface SupervisorOptions {
  /** Receives every event (the daemon logs them). */
  onEvent?: (event: SupervisorEvent) => void;
}

export class Supervisor implements SupervisorApi {
  readonly startedAt = Date.now();
  readonly firstSocketFd = FIRST_SOCKET_FD;
  readonly watchers: Watcher[];
  latestStats: StatsSnapshot | undefined;
  /** Resolves when the supervisor has shut down (quit, signal). */
  readonly done: Promise<void>;
  private readonly events = new Hub<SupervisorEvent>();
  private readonly statsHub = new Hub<StatsSnapshot>();
  private readonly collector: StatsCollector;
  private statsTimer: NodeJS.Timeout | undefined;
  private sampling = false;
  private control: ControlServer | undefined;
  private dashboard: Dashboard | undefined;
  private shuttingDown: Promise<void> | undefined;
  private resolveDone: () => void = () => {};

  private constructor(
    readonly config: Config,
    private readonly owned: OwnedSockets,
    readonly token: string,
  ) {
    this.done = new Promise((resolve) => {
      this.resolveDone = resolve;
    });
    const context = {
      socketFdsByName: socketFds(config.sockets),
      socketFds: owned.list.map((socket) => socket.fd),
      checkDelayMs: config.supervisor.checkDelayMs,
      publish: (event: EventInput) => this.publish(event),
    };
    this.watchers = config.watchers.map((watcher) => new Watcher(watcher, context));
    this.collector = new StatsCollector(
      () => this.watchers,
      () => this.owned.list,
      FIRST_SOCKET_FD,
      config.supervisor.statsIntervalMs,
    );
  }

  /** Binds, opens the endpoint, starts the watchers. Throws (and spawns nothing) on bind errors. */
  static async start(config: Config, options: SupervisorOptions = {}): Promise<Supervisor> {
    const owned = await bindSockets(config.sockets);
    let token: string;
    try {
      token = writeTokenFile(config.supervisor.tokenFile);
    } catch (error) {
      owned.close();
      throw error;
    }
    const supervisor = new Supervisor(config, owned, token);
    if (options.onEvent) supervisor.subscribe(options.onEvent);
    try {
      supervisor.control = await ControlServer.open(config.supervisor.endpoint, supervisor, token);
    } catch (error) {
      owned.close();
      removeTokenFile(config.supervisor.tokenFile);
      throw error;
    }
    // The web dashboard (src/dashboard): same dispatcher and hubs; it closes itself on `done`.
    if (config.supervisor.dashboard) {
      supervisor.dashboard = await startDashboard(supervisor, config.supervisor.dashboard).catch(
        async (error) => {
          await supervisor.shutdown('dashboard failed to start');
          throw error;
        },
      );
    }
    for (const watcher of supervisor.watchers) watcher.start();
    supervisor.statsTimer = setInterval(
      () => void supervisor.tick(),
      config.supervisor.statsIntervalMs,
    );
    return supervisor;
  }

  get sockets(): BoundSocket[] {
    return this.owned.list;
  }

  /** The control endpoint's real address (`tcp://127.0.0.1:PORT` with port 0 resolved). */
  get endpoint(): string {
    return this.control?.address ?? formatEndpoint(this.config.supervisor.endpoint);
  }

  /** The dashboard's bound `host:port` (port 0 resolved), or null without one. */
  get dashboardAddress(): string | null {
    const configured = this.config.supervisor.dashboard;
    if (!configured || !this.dashboard) return null;
    const host = configured.host.includes(':') ? `[${configured.host}]` : configured.host;
    return `${host}:${this.dashboard.port}`;
  }

  private publish(input: EventInput): void {
    this.events.publish({ time: Date.now(), ...input } as SupervisorEvent);
  }

  /** In-process event stream (what `events` streams over the endpoint). */
  subscribe(listener: (event: SupervisorEvent) => void): Unsubscribe {
    return this.events.subscribe(listener);
  }

  /** In-process stats snapshots, one per stats_interval. */
  subscribeStats(listener: (snapshot: StatsSnapshot) => void): Unsubscribe {
    return this.statsHub.subscribe(listener);
  }

  /** The single dispatcher for control commands (endpoint, dashboard, tests). */
  execute<R extends ControlRequest>(request: R): Promise<ResultOf<R['command'] & CommandName>> {
    return execute(this, request);
  }

  watcher(name: string): Watcher {
    const found = this.watchers.find((w) => w.name === name);
    if (!found)
      throw new UnknownWatcherError(
        name,
        this.watchers.map((w) => w.name),
      );
    return found;
  }

  /** One watcher by name, or all of them. */
  select(name: string | undefined): Watcher[] {
    return name === undefined ? this.watchers : [this.watcher(name)];
  }

  async sampleStats(): Promise<StatsSnapshot> {
    this.latestStats = await this.collector.sample();
    return this.latestStats;
  }

  private async tick(): Promise<void> {
    // A slow sample (loaded host) is skipped rather than piled up.
    if (this.sampling) return;
    this.sampling = true;
    try {
      this.statsHub.publish(await this.sampleStats());
    } finally {
      this.sampling = false;
    }
  }

  /** Stops every watcher gracefully, then closes endpoint, sockets and token file. Idempotent. */
  shutdown(reason = 'shutdown'): Promise<void> {
    this.shuttingDown ??= (async () => {
      clearInterval(this.statsTimer);
      // Stop accepting at once, as prefork does: with our copy of each listening socket closed,
      // it closes as soon as the workers close theirs on stop_signal. Held until they exit, it
      // kept queueing connections nobody would accept and reset them seconds later.
      this.owned.close();
      await Promise.all(this.watchers.map((w) => w.stop(reason)));
      for (const watcher of this.watchers) watcher.dispose();
      await this.control?.close();
      removeTokenFile(this.config.supervisor.tokenFile);
      this.resolveDone();
    })();
    return this.shuttingDown;
  }
}
