/** The running cluster as the caller holds it: its facts, its CPU and connections, its stop. */
import { clusterProcesses, countClientBackends, treeCpuMs } from './processes.js';
import { type Child, endTree } from './server.js';

export const DATABASE_NAME = 'stackbench';
export const DATABASE_USER = 'stackbench';

export interface Database {
  /** The run directory (data, socket, log) under parentDir; removed by stop(). */
  dir: string;
  /** The Unix socket's directory (no TCP listener at all). */
  socketDir: string;
  /** The port in the socket's name, `.s.PGSQL.<port>`. */
  port: number;
  name: string;
  user: string;
  /** PGHOST, PGPORT, PGDATABASE, PGUSER: what libpq and `pg` clients read. */
  env: Record<string, string>;
  /** The postmaster's pid. */
  pid: number;
  version: string;
  rows: number;
  /** CPU (user + system) of the postmaster and all its processes so far, ms; never decreases. */
  cpuMs(): number;
  /** Client backends connected now. */
  connections(): number;
  /** Fast shutdown, SIGKILL after a grace, then the run directory removed; idempotent. */
  stop(): Promise<void>;
}

export interface Facts {
  dir: string;
  socketDir: string;
  port: number;
  version: string;
  rows: number;
}

export function handOver(server: Child, facts: Facts, removeDir: () => void): Database {
  let cpuMs = 0;
  let stopping: Promise<void> | undefined;
  // A forgotten stop() must not keep Node alive: the parent-death signal ends the server then.
  server.process.unref();
  return {
    ...facts,
    name: DATABASE_NAME,
    user: DATABASE_USER,
    env: {
      PGHOST: facts.socketDir,
      PGPORT: String(facts.port),
      PGDATABASE: DATABASE_NAME,
      PGUSER: DATABASE_USER,
    },
    pid: server.pid,
    cpuMs() {
      // a backend that just ended and is not reaped yet is briefly counted nowhere: keep the most
      cpuMs = Math.max(cpuMs, treeCpuMs(clusterProcesses(server.pid)));
      return cpuMs;
    },
    connections: () => (server.exit() ? 0 : countClientBackends(server.pid)),
    stop() {
      stopping ??= endTree(server).then(removeDir);
      return stopping;
    },
  };
}
