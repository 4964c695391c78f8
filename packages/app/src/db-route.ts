/**
 * `GET /db`: rows of the `world` table by random id, TechEmpower's "single query" and "multiple
 * queries" tests. The pool is made at the first request (an app that never serves /db never
 * loads `pg` nor connects), one per app instance, so one per process and per worker thread.
 */
import type pg from 'pg';
import type { DbParams } from './db-params.js';

export interface WorldRow {
  id: number;
  randomNumber: number;
}

/** TFB's bounds: a missing, unreadable or small count is 1, a large one 500. */
export const MAX_QUERIES = 500;

/** `queries=N` of a query string: null without it (one row, not an array), else 1..500. */
export function queriesOf(search: string): number | null {
  const params = new URLSearchParams(search);
  const raw = params.get('queries');
  if (raw === null) return null;
  const n = Number.parseInt(raw, 10);
  if (!Number.isFinite(n) || n < 1) return 1;
  return Math.min(n, MAX_QUERIES);
}

/** A prepared statement, by name, on each connection. */
const SELECT_WORLD = {
  name: 'stackbench-world',
  text: 'SELECT id, randomnumber FROM world WHERE id = $1',
};

export interface DbRoute {
  /** `count` rows (null: one row, answered as an object), each a random id's. */
  query(count: number | null): Promise<WorldRow | WorldRow[]>;
  /** Ends the pool's connections (nothing to do when none was made). */
  close(): Promise<void>;
}

export function createDbRoute(
  params: DbParams,
  env: NodeJS.ProcessEnv,
  log: (line: string) => void,
): DbRoute {
  let pool: Promise<pg.Pool> | undefined;
  const connect = () => {
    pool ??= import('pg').then(({ default: pgModule }) => {
      const made = new pgModule.Pool({
        host: env.PGHOST,
        port: env.PGPORT ? Number(env.PGPORT) : undefined,
        database: env.PGDATABASE,
        user: env.PGUSER,
        max: params.poolSize,
        // idle connections must not keep a process alive that has nothing else to do
        allowExitOnIdle: true,
      });
      // an idle connection the server drops is an 'error' event: unheard, it would crash us
      made.on('error', (error) => log(`db pool: ${error.message}`));
      return made;
    });
    return pool;
  };
  return {
    async query(count) {
      const client = await (await connect()).connect();
      const rows: WorldRow[] = [];
      try {
        // sequential on one connection, as TFB's multiple-queries test asks
        for (let i = 0; i < (count ?? 1); i++) {
          const id = 1 + Math.floor(Math.random() * params.rows);
          const result = await client.query<{ id: number; randomnumber: number }>({
            ...SELECT_WORLD,
            values: [id],
          });
          const row = result.rows[0];
          if (!row) throw new Error(`world has no row ${id} (STACKBENCH_DB_ROWS=${params.rows})`);
          rows.push({ id: row.id, randomNumber: row.randomnumber });
        }
        client.release();
      } catch (error) {
        // a connection that failed a query is not given back to the pool
        client.release(error instanceof Error ? error : true);
        throw error;
      }
      return count === null ? (rows[0] as WorldRow) : rows;
    },
    async close() {
      const made = pool;
      pool = undefined;
      if (made) await (await made).end();
    },
  };
}
