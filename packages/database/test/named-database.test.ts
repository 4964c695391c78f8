/**
 * useDatabase: a PostgreSQL reached over TCP as a remote topology's `[database]` names one (here
 * a private cluster of this host listening on loopback): the table filled as the private cluster
 * fills it, the clients counted from pg_stat_activity, the table dropped at the end, and a
 * `world` table stackbench did not create left alone.
 */
import assert from 'node:assert/strict';
import { tmpdir } from 'node:os';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import {
  type Database,
  type DatabaseError,
  startDatabase,
  useDatabase,
  worldRandomNumber,
} from '../src/index.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('a named PostgreSQL over TCP', () => {
  let db: Database;
  const where = () => ({ host: '127.0.0.1', port: db.port, user: db.user, database: db.name });
  before(async () => {
    db = await startDatabase({
      rows: 10,
      parentDir: tmpdir(),
      maxConnections: 20,
      tcp: { address: '127.0.0.1', allow: '127.0.0.1/32' },
    });
  });
  after(() => db?.stop());

  test('filled, counted, dropped', async () => {
    const used = await useDatabase({ ...where(), rows: 50 });
    assert.match(used.version, /^\d+/);
    assert.equal(used.maxConnections, 20);
    assert.deepEqual(used.env, {
      PGHOST: '127.0.0.1',
      PGPORT: String(db.port),
      PGDATABASE: db.name,
      PGUSER: db.user,
    });
    const clients = [new pg.Client(where()), new pg.Client(where())];
    try {
      for (const c of clients) await c.connect();
      const rows = await clients[0]!.query('SELECT id, randomnumber FROM world ORDER BY id');
      assert.equal(rows.rowCount, 50);
      for (const r of rows.rows) assert.equal(r.randomnumber, worldRandomNumber(r.id));
      const deadline = Date.now() + 5000;
      while (used.connections() < 2 && Date.now() < deadline) await sleep(50);
      assert.equal(used.connections(), 2, 'the two clients, not the orchestrator’s own');
    } finally {
      for (const c of clients) await c.end();
    }
    await used.stop();
    await used.stop();
    const check = new pg.Client(where());
    await check.connect();
    try {
      const left = await check.query("SELECT to_regclass('public.world') AS t");
      assert.equal(left.rows[0].t, null, 'the table is dropped with the set');
    } finally {
      await check.end();
    }
  });

  test('a world table it did not create is refused and kept', async () => {
    const other = new pg.Client(where());
    await other.connect();
    try {
      await other.query('DROP TABLE IF EXISTS world');
      await other.query('CREATE TABLE world (id integer PRIMARY KEY, randomnumber integer)');
      await assert.rejects(useDatabase({ ...where(), rows: 5 }), (error: DatabaseError) => {
        assert.equal(error.code, 'DB_FILL_FAILED');
        assert.match(error.message, /already holds a table world that stackbench did not create/);
        return true;
      });
      const kept = await other.query("SELECT to_regclass('public.world') AS t");
      assert.equal(kept.rows[0].t, 'world');
    } finally {
      await other.query('DROP TABLE IF EXISTS world');
      await other.end();
    }
  });

  test('unreachable or bad rows: named in the message', async () => {
    await assert.rejects(
      useDatabase({ ...where(), port: 1, rows: 5 }),
      /cannot connect to PostgreSQL at 127\.0\.0\.1:1/,
    );
    await assert.rejects(
      useDatabase({ ...where(), rows: 0 }),
      /rows 0: give a whole number 1\.\.1000000/,
    );
  });

  test('a bad tcp option is refused before anything starts', async () => {
    await assert.rejects(
      startDatabase({
        rows: 1,
        parentDir: tmpdir(),
        maxConnections: 5,
        tcp: { address: 'x', allow: '10.0.0.0' },
      }),
      /tcp=.* is not valid: expected an IP address/,
    );
  });
});
