/**
 * `startDatabase`: a private PostgreSQL cluster for one run, checked, started, filled, and
 * handed over as a `Database` that reads its own CPU and connections and stops itself. The
 * public face validates; every failure after the first file is written tears everything down.
 */
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { messageOf } from '@stackbench/cli';
import { freePort } from '@stackbench/host-probe';
import pg from 'pg';
import { DATABASE_NAME, DATABASE_USER, type Database, handOver } from './database.js';
import { DatabaseError } from './errors.js';
import { findPostgres, POSTGRES_INSTALL } from './install.js';
import { checkInstall, checkOptions, type StartOptions } from './options.js';
import { createRunDir, lookupUser, removeStaleRunDirs, unreachableAncestor } from './run-dir.js';
import { type Child, endTree, initdbArgv, logTail, postmasterArgv, spawnLogged } from './server.js';
import { WORLD_COMMENT_SQL, WORLD_CREATE_SQL, WORLD_FILL_SQL } from './world.js';

const READY_TIMEOUT_MS = 30_000;
const RETRY_MS = 50;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

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
  options.onRunDir?.(run.dir);
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
    if (options.tcp) {
      appendFileSync(join(run.dataDir, 'pg_hba.conf'), `host all all ${options.tcp.allow} trust\n`);
    }
    const argv = postmasterArgv({
      ...initArgs,
      socketDir,
      port,
      maxConnections: options.maxConnections,
      listen: options.tcp?.address ?? '',
    });
    postmaster = await spawnLogged(argv, run.dir, run.logFile);
    options.onPostmaster?.(postmaster.pid);
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
          await client.query(WORLD_COMMENT_SQL);
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
