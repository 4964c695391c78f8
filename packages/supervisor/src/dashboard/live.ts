/**
 * The live feed of the page: a Server-Sent Events stream of the supervisor's own stats snapshots
 * and events (the same in-process hubs the control endpoint streams from). It keeps the last few
 * minutes of snapshots, without their per-process rows, and the last events, so that a page
 * opened now draws its charts and log from the start instead of from empty.
 */
import type { ServerResponse } from 'node:http';
import type { SupervisorEvent, Unsubscribe } from '../events.js';
import type { StatsSnapshot } from '../stats/types.js';

export interface LiveSource {
  subscribe(listener: (event: SupervisorEvent) => void): Unsubscribe;
  subscribeStats(listener: (snapshot: StatsSnapshot) => void): Unsubscribe;
}

export interface LiveOptions {
  /** How much chart history a new page gets. */
  historyMs: number;
  statsIntervalMs: number;
  /** How many recent events a new page gets. */
  eventCount: number;
}

/** A snapshot for the charts: totals only (the per-process rows are for the live tables). */
function chartOnly(snapshot: StatsSnapshot): StatsSnapshot {
  return { ...snapshot, watchers: snapshot.watchers.map((w) => ({ ...w, processes: [] })) };
}

export class LiveFeed {
  private readonly history: StatsSnapshot[] = [];
  private readonly events: SupervisorEvent[] = [];
  private readonly clients = new Set<ServerResponse>();
  private readonly unsubscribe: Unsubscribe[];
  private readonly keepAlive: NodeJS.Timeout;
  private latest: StatsSnapshot | undefined;

  constructor(source: LiveSource, options: LiveOptions) {
    const maxSnapshots = Math.ceil(options.historyMs / options.statsIntervalMs);
    this.unsubscribe = [
      source.subscribeStats((snapshot) => {
        this.latest = snapshot;
        this.history.push(chartOnly(snapshot));
        if (this.history.length > maxSnapshots) this.history.shift();
        this.broadcast('stats', snapshot);
      }),
      source.subscribe((event) => {
        this.events.push(event);
        if (this.events.length > options.eventCount) this.events.shift();
        this.broadcast('event', event);
      }),
    ];
    // Comments keep idle connections open through proxies and reveal dead clients.
    this.keepAlive = setInterval(() => {
      for (const client of this.clients) client.write(': keep-alive\n\n');
    }, 15_000);
    this.keepAlive.unref();
  }

  get clientCount(): number {
    return this.clients.size;
  }

  /** Turns `response` into an event stream: first `init` (history, recent events), then live. */
  attach(response: ServerResponse, init: Record<string, unknown>): void {
    response.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
    });
    this.clients.add(response);
    response.on('close', () => this.clients.delete(response));
    write(response, 'init', {
      ...init,
      latest: this.latest ?? null,
      history: this.history,
      events: this.events,
    });
  }

  private broadcast(name: string, data: unknown): void {
    if (this.clients.size === 0) return;
    const frame = frameOf(name, data);
    for (const client of this.clients) {
      // A page that stopped reading (hidden tab, dead peer) must not grow our memory.
      if (client.writableLength > 4 * 1024 * 1024) client.destroy();
      else client.write(frame);
    }
  }

  close(): void {
    clearInterval(this.keepAlive);
    for (const unsubscribe of this.unsubscribe) unsubscribe();
    for (const client of this.clients) client.end();
    this.clients.clear();
  }
}

function frameOf(name: string, data: unknown): string {
  return `event: ${name}\ndata: ${JSON.stringify(data)}\n\n`;
}

function write(response: ServerResponse, name: string, data: unknown): void {
  response.write(frameOf(name, data));
}
