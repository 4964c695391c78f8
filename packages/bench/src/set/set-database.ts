/**
 * The db workload's database for a set: a private PostgreSQL cluster (`@stackbench/database`)
 * started before the first round and stopped after the last, its `world` table filled, its
 * process group the stack reaper's until it has stopped (so even a SIGKILL of the orchestrator
 * leaves nothing), and what the set's stacks and windows need of it. Where it cannot run (not
 * installed, or the stacks run on other hosts) the db cells are skipped, and the manifest says
 * why and what to do.
 */
import { tmpdir } from 'node:os';
import {
  type Database,
  findPostgres,
  POSTGRES_INSTALL,
  startDatabase,
  useDatabase,
} from '@stackbench/database';
import { stackPids } from '@stackbench/host-probe';
import type { ProfileSettings, SetDatabase, WorkloadName } from '@stackbench/result';
import { reaper } from '../session/stack-reaper.js';
import type { ServiceDatabase } from '../session/stack-session.js';
import type { NamedDatabase } from '../targets/ssh/hosts-file.js';

export interface OpenedDatabase {
  record: SetDatabase;
  /** What the stacks and windows use; null when the db cells are skipped. */
  service: ServiceDatabase | null;
  stop(): Promise<void>;
}

/** Connections every stack of a round may hold at once: one pool per worker (per thread). */
export function maxConnectionsFor(settings: ProfileSettings, stacks: number): number {
  const pool = settings.database?.poolSize ?? 1;
  return stacks * settings.workers * Math.max(1, settings.threads) * pool + 10;
}

/** The workloads a set's rounds run: the db workload only with its database. */
export function runnableWorkloads(
  settings: ProfileSettings,
  database: Pick<SetDatabase, 'skipped'> | undefined,
): WorkloadName[] | undefined {
  if (!settings.workloads || !database?.skipped) return settings.workloads;
  return settings.workloads.filter((w) => w !== 'db');
}

export async function openSetDatabase(
  settings: ProfileSettings,
  options: {
    stacks: number;
    remote: boolean;
    /** The hosts file's `[database]`: where the db workload runs on a remote topology. */
    named?: NamedDatabase;
    signal: AbortSignal;
    note: (line: string) => void;
    /** Where PostgreSQL is installed (tests: none). */
    find?: typeof findPostgres;
  },
): Promise<OpenedDatabase | null> {
  const db = settings.database;
  if (!settings.workloads?.includes('db') || !db) return null;
  const record: SetDatabase = {
    engine: 'postgresql',
    version: null,
    where: 'a private cluster on this host, started and stopped with the set',
    skipped: null,
    rows: db.rows,
    poolSize: db.poolSize,
    queries: db.queries,
    maxConnections: maxConnectionsFor(settings, options.stacks),
  };
  const skip = (reason: string): OpenedDatabase => {
    options.note(`db cells skipped: ${reason}`);
    return { record: { ...record, skipped: reason }, service: null, stop: async () => {} };
  };
  if (options.remote) {
    if (!options.named) {
      return skip(
        'the stacks run on other hosts (--hosts) and the hosts file names no database: add a [database] table (address, user) naming a PostgreSQL the target reaches, or run the db workload without --hosts',
      );
    }
    return openNamed(options.named, record, db, options);
  }
  const install = (options.find ?? findPostgres)();
  if (!install) return skip(`PostgreSQL is not installed; run ${POSTGRES_INSTALL}`);
  options.note(`starting PostgreSQL ${install.version}: ${db.rows} rows, pools of ${db.poolSize}`);
  // the reaper has the run dir and the postmaster from the moment they exist: a SIGKILL
  // during the start leaves nothing either
  const registered: (string | number)[] = [];
  let running: Database;
  try {
    running = await startDatabase({
      rows: db.rows,
      parentDir: tmpdir(),
      maxConnections: record.maxConnections,
      signal: options.signal,
      onRunDir: (dir) => {
        registered.push(dir);
        reaper().removeOnDeath(dir);
      },
      onPostmaster: (pid) => {
        registered.push(pid);
        reaper().killOnDeath(pid);
      },
    });
  } catch (error) {
    // startDatabase cleaned up after itself; a pid the reaper kept could be another's later
    for (const item of registered) reaper().forget(item);
    throw error;
  }
  return {
    record: { ...record, version: running.version },
    service: {
      env: {
        ...running.env,
        STACKBENCH_DB_POOL: String(db.poolSize),
        STACKBENCH_DB_ROWS: String(db.rows),
      },
      cpuMs: () => running.cpuMs(),
      connections: () => running.connections(),
      pids: async () => stackPids([running.pid]),
    },
    async stop() {
      await running.stop();
      reaper().forget(running.pid);
      reaper().forget(running.dir);
    },
  };
}

/** A PostgreSQL the user runs (hosts file): its table filled, its connections read; its CPU is not this host's to read. */
async function openNamed(
  named: NamedDatabase,
  record: SetDatabase,
  db: NonNullable<ProfileSettings['database']>,
  options: { signal: AbortSignal; note: (line: string) => void },
): Promise<OpenedDatabase> {
  const where = `${named.address}:${named.port}, database ${named.name} (the hosts file's [database])`;
  options.note(`using PostgreSQL at ${where}: ${db.rows} rows, pools of ${db.poolSize}`);
  const password = named.passwordEnv ? process.env[named.passwordEnv] : undefined;
  const used = await useDatabase({
    host: named.address,
    port: named.port,
    user: named.user,
    database: named.name,
    ...(password !== undefined ? { password } : {}),
    rows: db.rows,
    signal: options.signal,
  });
  if (used.maxConnections < record.maxConnections) {
    options.note(
      `PostgreSQL at ${where} allows ${used.maxConnections} connections; the stacks' pools may hold ${record.maxConnections}: raise max_connections or lower db_pool`,
    );
  }
  return {
    record: { ...record, version: used.version, where },
    service: {
      env: {
        ...used.env,
        STACKBENCH_DB_POOL: String(db.poolSize),
        STACKBENCH_DB_ROWS: String(db.rows),
      },
      cpuMs: () => null,
      connections: () => used.connections(),
      pids: async () => [],
    },
    stop: () => used.stop(),
  };
}
