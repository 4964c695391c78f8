/**
 * The supervisor's events: a discriminated union, published in-process (`EventHub.subscribe`) to
 * the control endpoint's `events` streams, the log, and later the dashboard.
 */

interface Base {
  /** Milliseconds since the epoch. */
  time: number;
  watcher: string;
}

export type SupervisorEvent =
  | (Base & { type: 'spawn'; pid: number; wid: number; argv: string[] })
  | (Base & { type: 'ready'; pid: number; wid: number; via: 'ipc' | 'delay' })
  | (Base & {
      type: 'exit';
      pid: number;
      wid: number;
      code: number | null;
      signal: string | null;
      /** True when the supervisor asked it to stop (stop, decr, reload); false for a death. */
      expected: boolean;
    })
  | (Base & { type: 'reap'; pid: number; wid: number })
  | (Base & { type: 'spawn-error'; wid: number; message: string })
  | (Base & { type: 'flapping'; deaths: number; windowMs: number; reason: string })
  | (Base & { type: 'reload-start'; processes: number })
  | (Base & { type: 'reload-end'; ok: boolean; message?: string; durationMs: number })
  | (Base & { type: 'numprocesses'; from: number; to: number })
  | (Base & { type: 'watcher-start' })
  | (Base & { type: 'watcher-stop'; reason: string });

export type SupervisorEventType = SupervisorEvent['type'];

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
export type EventInput = DistributiveOmit<SupervisorEvent, 'time'>;

export type Unsubscribe = () => void;

/** A tiny typed publish/subscribe: one listener failing never stops the others. */
export class Hub<T> {
  private readonly listeners = new Set<(value: T) => void>();

  subscribe(listener: (value: T) => void): Unsubscribe {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  publish(value: T): void {
    for (const listener of this.listeners) {
      try {
        listener(value);
      } catch (error) {
        process.emitWarning(`event listener failed: ${String(error)}`);
      }
    }
  }
}

/** One line per event for the supervisor's log. */
export function formatEvent(event: SupervisorEvent): string {
  const { time, type, watcher, ...rest } = event;
  const details = Object.entries(rest)
    .filter(([key]) => key !== 'argv')
    .map(([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`)
    .join(' ');
  return `${new Date(time).toISOString()} ${type} ${watcher}${details ? ` ${details}` : ''}`;
}
