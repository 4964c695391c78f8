/**
 * The Python port's workload routes as the gunicorn stacks serve them (Debian's gunicorn with
 * gevent workers, on /usr/bin/python3), /db against a real private PostgreSQL: the same answers
 * the Node app gives, read from the table (the port computes nothing). Also: without psycopg
 * (a python3 that lacks it), the app still imports and serves /plaintext and /json.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { type Database, startDatabase } from '@stackbench/database';
import { freePort } from '@stackbench/host-probe';
import { get } from './serve.js';
import { checkRows, jsonFormat, plaintextFormat } from './workload-checks.js';

const pythonDir = join(import.meta.dirname, '..', '..', 'python');
const SYSTEM_PYTHON = '/usr/bin/python3';
const hasGunicorn =
  spawnSync('gunicorn', ['--version']).status === 0 &&
  spawnSync(SYSTEM_PYTHON, ['-c', 'import gevent, psycopg, psycopg_pool']).status === 0;
const ROWS = 200;

describe('the Python port under gunicorn -k gevent', {
  skip:
    !hasGunicorn &&
    'gunicorn, python3-gevent, python3-psycopg, python3-psycopg-pool are not all installed (scripts/provision-host.sh)',
}, () => {
  let scratch: string;
  let db: Database;
  let gunicorn: ChildProcess;
  let base: string;
  let output = '';
  before(async () => {
    scratch = mkdtempSync(join(tmpdir(), 'app-python-routes-'));
    chmodSync(scratch, 0o755);
    db = await startDatabase({ rows: ROWS, parentDir: scratch, maxConnections: 10 });
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    gunicorn = spawn(
      'gunicorn',
      [
        '-w',
        '2',
        '-k',
        'gevent',
        '-b',
        `127.0.0.1:${port}`,
        '--chdir',
        pythonDir,
        'bench_app:bench_app',
      ],
      {
        detached: true,
        stdio: ['ignore', 'pipe', 'pipe'],
        env: {
          ...process.env,
          ...db.env,
          STACKBENCH_DB_ROWS: String(ROWS),
          STACKBENCH_DB_POOL: '1',
          STACKBENCH_SLEEP_MS: '0',
          STACKBENCH_WRITES: '10',
          TMPDIR: scratch,
        },
      },
    );
    for (const stream of [gunicorn.stdout, gunicorn.stderr])
      stream?.on('data', (chunk: Buffer) => {
        output += chunk;
      });
    // ready: its first answer (gunicorn says nothing to a parent)
    const deadline = Date.now() + 20_000;
    for (;;) {
      try {
        await get(`${base}/plaintext`);
        break;
      } catch (error) {
        if (gunicorn.exitCode !== null || Date.now() > deadline)
          assert.fail(`gunicorn did not answer: ${error}\n${output}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
  });
  after(async () => {
    if (gunicorn?.pid) {
      const exited = new Promise((resolve) => gunicorn.once('exit', resolve));
      if (gunicorn.exitCode === null) process.kill(-gunicorn.pid, 'SIGTERM');
      await exited;
    }
    await db?.stop();
    rmSync(scratch, { recursive: true, force: true });
  });

  test('/plaintext and /json: the exact bodies and types', async () => {
    const plain = await get(`${base}/plaintext`);
    assert.equal(plain.status, 200);
    assert.match(plain.contentType ?? '', /^text\/plain/);
    assert.match(plain.body, plaintextFormat);
    const json = await get(`${base}/json`);
    assert.equal(json.status, 200);
    assert.match(json.contentType ?? '', /^application\/json/);
    assert.match(json.body, jsonFormat);
    // any other path: the seed's work
    assert.match((await get(`${base}/other`)).body, /^\d+\.\d{4}$/);
  });

  test('/db: the table rows, one as an object, ?queries=N as an array bounded 1..500', async () => {
    const cases: [string, number | null][] = [
      ['/db', null],
      ['/db?queries=10', 10],
      ['/db?queries=0', 1],
      ['/db?queries=foo', 1],
      ['/db?queries=600', 500],
    ];
    for (const [path, count] of cases) {
      const reply = await get(`${base}${path}`);
      assert.equal(reply.status, 200, `${path}: ${reply.body}\n${output}`);
      assert.match(reply.contentType ?? '', /^application\/json/);
      checkRows(reply.body, count, ROWS);
    }
    // concurrent requests on both workers: one pooled connection each at most
    const replies = await Promise.all(
      Array.from({ length: 10 }, () => get(`${base}/db?queries=5`)),
    );
    for (const reply of replies) checkRows(reply.body, 5, ROWS);
    assert.ok(db.connections() <= 2, `${db.connections()} connections for 2 workers of pool 1`);
  });
});

test('without psycopg the Python port still loads and answers /plaintext and /json', (t) => {
  // `python3` on PATH is another interpreter than Debian's, often without psycopg: use it when so
  const lacks = spawnSync('python3', ['-c', 'import psycopg'], { encoding: 'utf8' });
  if (lacks.error || lacks.status === 0)
    return t.skip('no python3 without psycopg here: /usr/bin/python3 has it');
  const code = `
import bench_app
for path in ("/plaintext", "/json"):
    seen = []
    body = b"".join(bench_app.bench_app({"PATH_INFO": path}, lambda s, h: seen.append((s, h))))
    print(seen[0][0] + "|" + dict(seen[0][1])["Content-Type"] + "|" + body.decode())
`;
  const result = spawnSync('python3', ['-c', code], { cwd: pythonDir, encoding: 'utf8' });
  assert.equal(result.status, 0, result.stderr);
  assert.deepEqual(result.stdout.trim().split('\n'), [
    '200 OK|text/plain|Hello, World!',
    '200 OK|application/json|{"message": "Hello, World!"}',
  ]);
});
