/**
 * The db workload's database during a window's measured part, read like the stack's processes:
 * its CPU (every process of the cluster) from the window's start to its end, and the client
 * connections it holds at the start, the middle and the end. The window's times come from the
 * load driver (a sized window's start is known only once its warm-up is steady).
 */
import { availableParallelism } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import type { WindowDatabase } from '@stackbench/result';

/** What a window reads of the database (`@stackbench/database`'s `Database`). */
export interface DatabaseProbe {
  /** Null: a database on another host, whose CPU this host cannot read. */
  cpuMs(): number | null;
  connections(): number;
}

interface Span {
  startMs: number;
  endMs: number;
}

const until = async (ms: number) => {
  const wait = ms - Date.now();
  if (wait > 0) await sleep(wait);
};

export interface DatabaseReadings {
  /** The figures from the start to now; call once the load has ended. */
  stop(): Promise<WindowDatabase>;
}

export function startDatabaseReadings(db: DatabaseProbe, window: Promise<Span>): DatabaseReadings {
  const start = window.then(async (w) => {
    await until(w.startMs);
    return { cpuMs: db.cpuMs(), connections: db.connections(), atMs: Date.now() };
  });
  const middle = window.then(async (w) => {
    await until((w.startMs + w.endMs) / 2);
    return db.connections();
  });
  return {
    async stop() {
      const first = await start;
      const mid = await middle;
      const now = db.cpuMs();
      const readings = [first.connections, mid, db.connections()];
      const elapsedMs = Math.max(1, Date.now() - first.atMs);
      const held = {
        connections: readings.reduce((a, b) => a + b, 0) / readings.length,
        connectionsMax: Math.max(...readings),
      };
      if (now === null || first.cpuMs === null) return held;
      const cpuMs = Math.max(0, now - first.cpuMs);
      // a share of all the host's CPU time, as the window's noise figures are
      return { ...held, cpuMs, cpuPct: (100 * cpuMs) / (elapsedMs * availableParallelism()) };
    },
  };
}
