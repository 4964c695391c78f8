/**
 * A PostgreSQL the user runs (a remote topology's hosts file names it), used for a set as the
 * private cluster is: its `world` table created and filled, its client connections counted, the
 * table dropped at the end. A `world` table stackbench did not create is never touched: its own
 * carry a comment, and any other is refused.
 */
import pg from 'pg';
import { DatabaseError } from './errors.js';
import {
  WORLD_COMMENT,
  WORLD_COMMENT_SQL,
  WORLD_CREATE_SQL,
  WORLD_FILL_SQL,
  WORLD_MAX_ROWS,
} from './world.js';

export interface UseOptions {
  host: string;
  port: number;
  user: string;
  database: string;
  password?: string;
  rows: number;
  signal?: AbortSignal;
}

export interface UsedDatabase {
  version: string;
  /** Its `max_connections`. */
  maxConnections: number;
  /** What the apps get: PGHOST, PGPORT, PGDATABASE, PGUSER (and PGPASSWORD when given). */
  env: Record<string, string>;
  /** Client connections to the database now, ours excluded (read every 200 ms). */
  connections(): number;
  /** Drops the table and disconnects; idempotent. */
  stop(): Promise<void>;
}

const POLL_MS = 200;

export async function useDatabase(options: UseOptions): Promise<UsedDatabase> {
  if (!Number.isInteger(options.rows) || options.rows < 1 || options.rows > WORLD_MAX_ROWS) {
    throw new DatabaseError(
      'DB_BAD_OPTION',
      `rows ${options.rows}: give a whole number 1..${WORLD_MAX_ROWS}`,
    );
  }
  const where = `PostgreSQL at ${options.host}:${options.port}, database ${options.database} as ${options.user}`;
  const config = {
    host: options.host,
    port: options.port,
    user: options.user,
    database: options.database,
    connectionTimeoutMillis: 10_000,
    ...(options.password !== undefined ? { password: options.password } : {}),
  };
  const client = new pg.Client(config);
  try {
    await client.connect();
  } catch (error) {
    throw new DatabaseError(
      'DB_START_FAILED',
      `cannot connect to ${where}: ${(error as Error).message}`,
      {
        cause: error,
      },
    );
  }
  let filled = false;
  try {
    const found = await client.query<{ comment: string | null; exists: boolean }>(
      "SELECT to_regclass('public.world') IS NOT NULL AS exists, obj_description(to_regclass('public.world'), 'pg_class') AS comment",
    );
    const existing = found.rows[0];
    if (existing?.exists && existing.comment !== WORLD_COMMENT) {
      throw new DatabaseError(
        'DB_FILL_FAILED',
        `${where} already holds a table world that stackbench did not create; name a database of its own in the hosts file`,
      );
    }
    if (options.signal?.aborted)
      throw new DatabaseError('DB_ABORTED', `stopped before filling ${where}`);
    await client.query('DROP TABLE IF EXISTS world');
    await client.query(WORLD_CREATE_SQL);
    filled = true;
    await client.query(WORLD_COMMENT_SQL);
    await client.query(WORLD_FILL_SQL, [options.rows]);
    await client.query('ANALYZE world');
  } catch (error) {
    if (filled) await client.query('DROP TABLE IF EXISTS world').catch(() => {});
    await client.end().catch(() => {});
    if (error instanceof DatabaseError) throw error;
    throw new DatabaseError(
      'DB_FILL_FAILED',
      `could not create and fill the world table (${options.rows} rows) in ${where}: ${(error as Error).message}`,
      { cause: error },
    );
  }
  const facts = await client.query<{ version: string; max: string }>(
    "SELECT current_setting('server_version') AS version, current_setting('max_connections') AS max",
  );
  let connections = 0;
  let stopped = false;
  const count = async () => {
    const r = await client.query<{ n: string }>(
      "SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND backend_type = 'client backend' AND pid <> pg_backend_pid()",
    );
    connections = Number(r.rows[0]?.n ?? 0);
  };
  await count();
  // one query at a time on the client: the next read is scheduled when the last has answered
  let timer: NodeJS.Timeout | undefined;
  const poll = () => {
    timer = setTimeout(() => {
      count()
        .catch(() => {})
        .finally(() => {
          if (!stopped) poll();
        });
    }, POLL_MS);
    timer.unref();
  };
  poll();
  let stopping: Promise<void> | undefined;
  return {
    version: facts.rows[0]?.version ?? 'unknown',
    maxConnections: Number(facts.rows[0]?.max ?? 0),
    env: {
      PGHOST: options.host,
      PGPORT: String(options.port),
      PGDATABASE: options.database,
      PGUSER: options.user,
      ...(options.password !== undefined ? { PGPASSWORD: options.password } : {}),
    },
    connections: () => connections,
    stop() {
      stopping ??= (async () => {
        stopped = true;
        clearTimeout(timer);
        await client.query('DROP TABLE IF EXISTS world').catch(() => {});
        await client.end().catch(() => {});
      })();
      return stopping;
    },
  };
}
