/**
 * The workload routes on both faces of the Node app — the node:http listener and the fetch face —
 * with /db against a real private PostgreSQL (@stackbench/database): each route's status,
 * Content-Type and body as the orchestrator verifies them, the seed's work still at every other
 * path, TFB's bounds of `queries`, the pool size honoured, and a database fault as a 500.
 */
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { type Database, startDatabase } from '@stackbench/database';
import { type BenchApp, createBenchApp, createWorkloadRoutes, queriesOf } from '../src/index.js';
import { get, type Served, serveOnLoopback } from './serve.js';
import { checkRows, jsonFormat, plaintextFormat } from './workload-checks.js';

const ROWS = 300;
const quickWork = { cpuIterations: 10, sleepMs: 0, writes: 10, writeMode: 'sync' as const };

test('queriesOf: absent is one row (an object), else 1..500 as TFB bounds it', () => {
  const cases: [string, number | null][] = [
    ['', null],
    ['other=1', null],
    ['queries=7', 7],
    ['queries=0', 1],
    ['queries=-4', 1],
    ['queries=foo', 1],
    ['queries=', 1],
    ['queries=500', 500],
    ['queries=501', 500],
  ];
  for (const [search, want] of cases) assert.equal(queriesOf(search), want, search);
});

describe('the workload routes of the Node app', () => {
  let db: Database;
  let scratch: string;
  let app: BenchApp;
  let served: Served;
  const logged: string[] = [];
  before(async () => {
    scratch = mkdtempSync(join(tmpdir(), 'app-routes-'));
    // the server runs as the postgres user: it must reach its run directory
    chmodSync(scratch, 0o755);
    db = await startDatabase({ rows: ROWS, parentDir: scratch, maxConnections: 10 });
    const env = { ...db.env, STACKBENCH_DB_ROWS: String(ROWS), STACKBENCH_DB_POOL: '2' };
    app = createBenchApp({
      ...quickWork,
      log: (line) => logged.push(line),
      workloads: createWorkloadRoutes({ env }),
    });
    served = await serveOnLoopback(app);
  });
  after(async () => {
    await served?.close();
    await app?.workloads.close();
    await db?.stop();
    rmSync(scratch, { recursive: true, force: true });
  });

  /** The same request on both faces: status, Content-Type and body of each. */
  async function both(path: string) {
    const viaHttp = await get(new URL(path, served.url).href);
    const response = await app.fetch(new Request(new URL(path, 'http://127.0.0.1/')));
    const viaFetch = {
      status: response.status,
      contentType: response.headers.get('content-type') ?? undefined,
      body: await response.text(),
    };
    return [viaHttp, viaFetch];
  }

  test('/plaintext and /json: 200 with the exact bodies, on both faces', async () => {
    for (const reply of await both('/plaintext')) {
      assert.equal(reply.status, 200);
      assert.match(reply.contentType ?? '', /^text\/plain/);
      assert.match(reply.body, plaintextFormat);
    }
    for (const reply of await both('/json?ignored=1')) {
      assert.equal(reply.status, 200);
      assert.match(reply.contentType ?? '', /^application\/json/);
      assert.match(reply.body, jsonFormat);
    }
  });

  test('every other path is still the seed work', async () => {
    for (const path of ['/', '/plaintext/more', '/dbx', '/JSON'])
      for (const reply of await both(path)) {
        assert.equal(reply.status, 200, path);
        assert.match(reply.body, /^\d+\.\d{4}$/, path);
      }
  });

  test('/db: one row as an object; ?queries=N an array of N rows, bounded 1..500', async () => {
    const cases: [string, number | null][] = [
      ['/db', null],
      ['/db?queries=1', 1],
      ['/db?queries=20', 20],
      ['/db?queries=0', 1],
      ['/db?queries=foo', 1],
      ['/db?queries=501', 500],
    ];
    for (const [path, count] of cases)
      for (const reply of await both(path)) {
        assert.equal(reply.status, 200, `${path}: ${reply.body}`);
        assert.match(reply.contentType ?? '', /^application\/json/);
        checkRows(reply.body, count, ROWS);
      }
    // ids are drawn at random over the whole table
    const ids = new Set<number>();
    for (let i = 0; i < 5; i++) {
      const reply = await get(new URL('/db?queries=20', served.url).href);
      for (const row of JSON.parse(reply.body) as { id: number }[]) ids.add(row.id);
    }
    assert.ok(ids.size > 40, `${ids.size} distinct ids of 100 drawn from ${ROWS}`);
  });

  test('the pool holds STACKBENCH_DB_POOL connections however many requests wait', async () => {
    const replies = await Promise.all(
      Array.from({ length: 12 }, () => get(new URL('/db?queries=5', served.url).href)),
    );
    for (const reply of replies) checkRows(reply.body, 5, ROWS);
    // the listener face's pool and the fetch face's are one (one app instance)
    assert.equal(db.connections(), 2);
  });
});

test('a database fault is a 500 with a short body, logged, and the app keeps serving', async () => {
  const logged: string[] = [];
  const env = {
    PGHOST: join(tmpdir(), 'no-such-socket-dir'),
    PGPORT: '5',
    PGDATABASE: 'x',
    PGUSER: 'x',
  };
  const app = createBenchApp({
    ...quickWork,
    log: (line) => logged.push(line),
    workloads: createWorkloadRoutes({ env }),
  });
  const served = await serveOnLoopback(app);
  try {
    const reply = await get(new URL('/db', served.url).href);
    assert.equal(reply.status, 500);
    assert.equal(reply.body, 'Internal Server Error\n');
    const response = await app.fetch(new Request('http://127.0.0.1/db?queries=3'));
    assert.equal(response.status, 500);
    assert.equal(await response.text(), 'Internal Server Error\n');
    assert.equal(logged.length, 2);
    assert.match(logged[0] ?? '', /^benchApp: internal error: connect ENOENT .*no-such-socket-dir/);
    const next = await get(new URL('/plaintext', served.url).href);
    assert.equal(next.body, 'Hello, World!');
  } finally {
    await served.close();
    await app.workloads.close();
  }
});

test('a bad STACKBENCH_DB_ROWS or STACKBENCH_DB_POOL is refused, naming it', () => {
  assert.throws(() => createWorkloadRoutes({ env: { STACKBENCH_DB_ROWS: '0' } }), {
    code: 'APP_BAD_PARAMETER',
    message: 'STACKBENCH_DB_ROWS="0" is not valid: expected a whole number ≥ 1',
  });
  assert.throws(() => createWorkloadRoutes({ env: { STACKBENCH_DB_POOL: 'two' } }), {
    code: 'APP_BAD_PARAMETER',
    message: 'STACKBENCH_DB_POOL="two" is not valid: expected a whole number ≥ 1',
  });
});
