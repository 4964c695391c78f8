/**
 * `startDatabase`: a private PostgreSQL cluster for one run, checked, started, filled, and
 * handed over as a `Database` that reads its own CPU and connections and stops itself. The
 * public face validates; every failure after the first file is written tears everything down.
 */
import { accessSync, constants, statSync } from 'node:fs';
import { join } from 'node:path';
import { messageOf } from '@stackbench/cli';
import { freePort } from '@stackbench/host-probe';
import pg from 'pg';
import { DatabaseError } from './errors.js';
import { findPostgres, POSTGRES_INSTALL, type PostgresInstall } from './install.js';
import { clusterProcesses, countClientBackends, treeCpuMs } from './processes.js';
import { createRunDir, lookupUser, removeStaleRunDirs, unreachableAncestor } from './run-dir.js';
import { type Child, endTree, initdbArgv, logTail, postmasterArgv, spawnLogged } from './server.js';
import { WORLD_CREATE_SQL, WORLD_FILL_SQL, WORLD_MAX_ROWS } from './world.js';

export interface StartOptions {
  /** Rows of the `world` table, ids 1..rows (1..1,000,000). */
  rows: number;
  /** Where the run directory is made (it must be reachable by the `postgres` user). */
  parentDir: string;
  /** The server's max_connections (1..10,000): every app worker's pool, and nothing reserved. */
  maxConnections: number;
  signal?: AbortSignal;
  /** Default: `findPostgres()`. */
  install?: PostgresInstall;
}

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

export const DATABASE_NAME = 'stackbench';
export const DATABASE_USER = 'stackbench';
const READY_TIMEOUT_MS = 30_000;
const RETRY_MS = 50;
/** The longest socket path the kernel takes (sun_path, 108 bytes with the NUL). */
const MAX_SOCKET_PATH = 107;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function checkWhole(name: string, value: number, min: number, max: number): void {
  if (!Number.isInteger(value) || value < min || value > max)
    throw new DatabaseError(
      'DB_BAD_OPTION',
      `${name}=${value} is not valid: expected a whole number from ${min} to ${max}`,
    );
}

function checkOptions(options: StartOptions): void {
  checkWhole('rows', options.rows, 1, WORLD_MAX_ROWS);
  checkWhole('maxConnections', options.maxConnections, 1, 10_000);
  const { parentDir } = options;
  try {
    if (!statSync(parentDir).isDirectory()) throw new Error('not a directory');
  } catch (error) {
    throw new DatabaseError(
      'DB_BAD_OPTION',
      `parentDir=${parentDir} is not a directory (${messageOf(error)})`,
    );
  }
  // PARENT/stackbench-db-XXXXXX/.s.PGSQL.65535 must fit a socket address
  const longest = join(parentDir, 'stackbench-db-XXXXXX', '.s.PGSQL.65535').length;
  if (longest > MAX_SOCKET_PATH)
    throw new DatabaseError(
      'DB_BAD_OPTION',
      `parentDir=${parentDir} is too long for a Unix socket path (${longest} > ${MAX_SOCKET_PATH} bytes): use a shorter directory such as /tmp`,
    );
}

function checkInstall(install: PostgresInstall): void {
  for (const binary of ['postgres', 'initdb']) {
    try {
      accessSync(join(install.binDir, binary), constants.X_OK);
    } catch {
      throw new DatabaseError(
        'DB_NOT_INSTALLED',
        `PostgreSQL is not installed: no ${binary} in ${install.binDir}; to install it: ${POSTGRES_INSTALL}`,
      );
    }
  }
}

function aborted(): DatabaseError {
  return new DatabaseError('DB_ABORTED', 'starting the database was aborted');
}

/** `promise`, or DB_ABORTED as soon as `signal` aborts (the promise's own end is then ignored). */
function abortable<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  promise.catch(() => {});
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(aborted());
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

function startFailed(what: string, logFile: string, cause?: unknown): DatabaseError {
  const tail = logTail(logFile);
  return new DatabaseError(
    'DB_START_FAILED',
    `PostgreSQL did not start: ${what}${tail ? `; its log ends:\n${tail}` : ''}`,
    { cause },
  );
}

export async function startDatabase(options: StartOptions): Promise<Database> {
  checkOptions(options);
  const install = options.install ?? findPostgres();
  if (!install)
    throw new DatabaseError(
      'DB_NOT_INSTALLED',
      `PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/postgres, no postgres on PATH); to install it: ${POSTGRES_INSTALL}`,
    );
  checkInstall(install);
  // The server refuses to run as root: then it runs as the postgres user; otherwise as we are.
  const root = process.getuid?.() === 0;
  const user = root ? lookupUser('postgres') : null;
  if (root && !user)
    throw new DatabaseError(
      'DB_NOT_INSTALLED',
      `there is no postgres OS user for the server to run as (PostgreSQL refuses root); to create it with the package: ${POSTGRES_INSTALL}`,
    );
  const blocked = user ? unreachableAncestor(options.parentDir, user) : null;
  if (blocked)
    throw new DatabaseError(
      'DB_BAD_OPTION',
      `parentDir=${options.parentDir} cannot be reached by the postgres user (${blocked} has no x bit for it): use a directory such as /tmp`,
    );
  const { signal } = options;
  if (signal?.aborted) throw aborted();

  removeStaleRunDirs(options.parentDir);
  const run = createRunDir(options.parentDir, user);
  const clients = new Set<pg.Client>();
  let postmaster: Child | undefined;
  let initdb: Child | undefined;
  const teardown = async () => {
    await Promise.all([...clients].map((c) => c.end().catch(() => {})));
    if (initdb) await endTree(initdb, 'SIGKILL');
    if (postmaster) await endTree(postmaster);
    run.remove();
  };

  const socketDir = run.dir;
  let port = 0;
  const connect = async (database: string, role: string): Promise<pg.Client> => {
    const client = new pg.Client({ host: socketDir, port, database, user: role });
    // after a connect, a lost server is an 'error' event: without a listener it would crash us
    client.on('error', () => {});
    clients.add(client);
    try {
      await client.connect();
      return client;
    } catch (error) {
      clients.delete(client);
      await client.end().catch(() => {});
      throw error;
    }
  };
  const disconnect = async (client: pg.Client) => {
    clients.delete(client);
    await client.end().catch(() => {});
  };

  try {
    const initArgs = { install, user, dataDir: run.dataDir, cwd: run.dir, logFile: run.logFile };
    initdb = await spawnLogged(initdbArgv(initArgs), run.dir, run.logFile).catch((error) => {
      throw startFailed(
        `could not run setpriv (util-linux) and initdb: ${messageOf(error)}`,
        run.logFile,
        error,
      );
    });
    const initExit = await abortable(initdb.exited, signal);
    if (initExit.code !== 0)
      throw startFailed(`initdb exited with ${initExit.code ?? initExit.signal}`, run.logFile);
    initdb = undefined;

    port = await freePort();
    const argv = postmasterArgv({
      ...initArgs,
      socketDir,
      port,
      maxConnections: options.maxConnections,
    });
    postmaster = await spawnLogged(argv, run.dir, run.logFile);
    run.recordPostmaster(postmaster.pid);
    const server = postmaster;

    const admin = await abortable(
      (async () => {
        const deadline = Date.now() + READY_TIMEOUT_MS;
        for (;;) {
          const exit = server.exit();
          if (exit)
            throw startFailed(`the server exited with ${exit.code ?? exit.signal}`, run.logFile);
          if (signal?.aborted) throw aborted();
          try {
            const client = await connect('postgres', 'postgres');
            await client.query('SELECT 1');
            return client;
          } catch (error) {
            if (Date.now() > deadline)
              throw startFailed(
                `not ready after ${READY_TIMEOUT_MS / 1000} s (${messageOf(error)})`,
                run.logFile,
                error,
              );
          }
          await sleep(RETRY_MS);
        }
      })(),
      signal,
    );

    const version = await abortable(
      (async () => {
        try {
          await admin.query(`CREATE ROLE ${DATABASE_USER} LOGIN`);
          await admin.query(`CREATE DATABASE ${DATABASE_NAME} OWNER ${DATABASE_USER}`);
          await disconnect(admin);
          const client = await connectRetrying(() => connect(DATABASE_NAME, DATABASE_USER));
          // created and filled in one transaction: with wal_level=minimal the rows skip the WAL
          await client.query('BEGIN');
          await client.query(WORLD_CREATE_SQL);
          await client.query(WORLD_FILL_SQL, [options.rows]);
          await client.query('COMMIT');
          await client.query('VACUUM ANALYZE world');
          const result = await client.query<{ v: string }>(
            "SELECT current_setting('server_version') AS v",
          );
          await disconnect(client);
          // '15.18 (Debian 15.18-0+deb12u1)' → '15.18'
          return (result.rows[0]?.v ?? install.version).split(' ')[0] as string;
        } catch (error) {
          if (error instanceof DatabaseError) throw error;
          const tail = logTail(run.logFile);
          throw new DatabaseError(
            'DB_FILL_FAILED',
            `could not create and fill the world table (${options.rows} rows): ${messageOf(error)}${tail ? `; the server's log ends:\n${tail}` : ''}`,
            { cause: error },
          );
        }
      })(),
      signal,
    );
    if (signal?.aborted) throw aborted();
    return handOver(
      server,
      { dir: run.dir, socketDir, port, version, rows: options.rows },
      run.remove,
    );
  } catch (error) {
    await teardown();
    throw error;
  }
}

/**
 * A connection to a fresh database, retried while the slot of the connection just closed is
 * still held (max_connections may be 1: a backend leaves its slot a moment after the client).
 */
async function connectRetrying(open: () => Promise<pg.Client>): Promise<pg.Client> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    try {
      return await open();
    } catch (error) {
      if ((error as { code?: string }).code !== '53300' || Date.now() > deadline) throw error;
      await sleep(RETRY_MS);
    }
  }
}

interface Facts {
  dir: string;
  socketDir: string;
  port: number;
  version: string;
  rows: number;
}

function handOver(server: Child, facts: Facts, removeDir: () => void): Database {
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
