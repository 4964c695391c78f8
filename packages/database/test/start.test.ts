/**
 * startDatabase against the real PostgreSQL of this host (scripts/provision-host.sh installs it;
 * CI too): one cluster for the life-cycle tests, then each way a start can fail, and the SIGKILL
 * of a Node process that owns a cluster.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { isAlive, processTable } from '@stackbench/host-probe';
import pg from 'pg';
import {
  type Database,
  DatabaseError,
  findPostgres,
  POSTGRES_INSTALL,
  startDatabase,
  worldRandomNumber,
} from '../src/index.js';

const install = findPostgres();
assert.ok(install, `these tests need PostgreSQL: ${POSTGRES_INSTALL}`);

// 0755: the server runs as the postgres user and must reach its run directory
const scratch = mkdtempSync(join(tmpdir(), 'db-test-'));
chmodSync(scratch, 0o755);
after(() => rmSync(scratch, { recursive: true, force: true }));

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(what: string, check: () => boolean, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) assert.fail(`not within ${ms} ms: ${what}`);
    await sleep(50);
  }
}

/** Pids whose parent is `pid` or one of theirs (the cluster's backends live in sessions of their own). */
function descendants(pid: number): number[] {
  const table = processTable();
  const found = new Set([pid]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const e of table)
      if (!found.has(e.pid) && found.has(e.ppid)) {
        found.add(e.pid);
        grew = true;
      }
  }
  found.delete(pid);
  return [...found];
}

function clientOf(db: Database): pg.Client {
  const client = new pg.Client({
    host: db.socketDir,
    port: db.port,
    database: db.name,
    user: db.user,
  });
  client.on('error', () => {});
  return client;
}

describe('a started database', () => {
  const rows = 5_000;
  let db: Database;
  let backgroundPids: number[];
  before(async () => {
    db = await startDatabase({ rows, parentDir: scratch, maxConnections: 8 });
    backgroundPids = descendants(db.pid);
  });
  after(() => db?.stop());

  test('says where and what it is; clients reach it by the env it gives, over the socket only', async () => {
    assert.equal(db.version, install.version);
    assert.equal(db.rows, rows);
    assert.ok(db.dir.startsWith(join(scratch, 'stackbench-db-')));
    assert.ok(existsSync(join(db.socketDir, `.s.PGSQL.${db.port}`)));
    assert.deepEqual(db.env, {
      PGHOST: db.socketDir,
      PGPORT: String(db.port),
      PGDATABASE: db.name,
      PGUSER: db.user,
    });
    // pg reads the libpq variables when given nothing
    const saved = { ...process.env };
    Object.assign(process.env, db.env);
    const client = new pg.Client();
    Object.assign(process.env, saved);
    await client.connect();
    const { rows: settings } = await client.query<{ name: string; setting: string }>(
      "SELECT name, setting FROM pg_settings WHERE name IN ('listen_addresses', 'max_connections') ORDER BY name",
    );
    await client.end();
    assert.deepEqual(settings, [
      { name: 'listen_addresses', setting: '' },
      { name: 'max_connections', setting: '8' },
    ]);
  });

  test('the world table holds ids 1..rows with worldRandomNumber(id)', async () => {
    const client = clientOf(db);
    await client.connect();
    const { rows: all } = await client.query<{ id: number; randomnumber: number }>(
      'SELECT id, randomnumber FROM world ORDER BY id',
    );
    const one = await client.query('SELECT id, randomnumber FROM world WHERE id = $1', [4321]);
    await client.end();
    assert.equal(all.length, rows);
    all.forEach((row, i) => {
      assert.equal(row.id, i + 1);
      assert.equal(row.randomnumber, worldRandomNumber(row.id), `id ${row.id}`);
    });
    assert.deepEqual(one.rows, [{ id: 4321, randomnumber: worldRandomNumber(4321) }]);
  });

  test('connections() counts open clients; cpuMs() grows under queries', async () => {
    await until('no client connected', () => db.connections() === 0);
    const clients = [clientOf(db), clientOf(db), clientOf(db)];
    await Promise.all(clients.map((c) => c.connect()));
    assert.equal(db.connections(), 3);
    const cpuBefore = db.cpuMs();
    const started = performance.now();
    // queries until the server has spent measurable CPU (a tick is 10 ms)
    while (db.cpuMs() < cpuBefore + 50) {
      await Promise.all(
        clients.map((c) => c.query('SELECT sum(randomnumber) FROM world WHERE id > $1', [1])),
      );
      assert.ok(performance.now() - started < 20_000, 'the server used no CPU for 20 s of queries');
    }
    await clients[0]?.end();
    await until('two clients left', () => db.connections() === 2);
    const cpuAfterOneLeft = db.cpuMs();
    await Promise.all(clients.slice(1).map((c) => c.end()));
    await until('no client left', () => db.connections() === 0);
    // a backend's CPU stays counted after it ended (the postmaster reaped it)
    assert.ok(db.cpuMs() >= cpuAfterOneLeft);
  });

  test('stop() ends every process of the cluster and removes its directory; again is a no-op', async () => {
    assert.ok(backgroundPids.length > 0);
    const cpu = db.cpuMs();
    await db.stop();
    assert.ok(!isAlive(db.pid));
    for (const pid of backgroundPids) assert.ok(!isAlive(pid), `process ${pid} still runs`);
    assert.ok(!existsSync(db.dir));
    await db.stop();
    assert.equal(db.connections(), 0);
    assert.ok(db.cpuMs() >= cpu);
  });
});

async function rejectsWith(start: Promise<unknown>, code: string, message: RegExp) {
  await assert.rejects(start, (error: unknown) => {
    assert.ok(error instanceof DatabaseError);
    assert.equal(error.code, code);
    assert.match(error.message, message);
    return true;
  });
}

const runDirs = () => readdirSync(scratch).filter((n) => n.startsWith('stackbench-db-'));

describe('a start that cannot be', () => {
  test('bad options name the value at fault, before anything is made', async () => {
    const ok = { rows: 10, parentDir: scratch, maxConnections: 5 };
    const cases: [Partial<typeof ok>, RegExp][] = [
      [{ rows: 0 }, /^rows=0 is not valid: expected a whole number from 1 to 1000000$/],
      [{ rows: 2.5 }, /^rows=2\.5 is not valid/],
      [{ rows: 1_000_001 }, /^rows=1000001 is not valid/],
      [
        { maxConnections: 0 },
        /^maxConnections=0 is not valid: expected a whole number from 1 to 10000$/,
      ],
      [{ maxConnections: 10_001 }, /^maxConnections=10001 is not valid/],
      [{ parentDir: join(scratch, 'nope') }, /^parentDir=.*nope is not a directory/],
      [
        { parentDir: `/tmp/${'x'.repeat(90)}` },
        /is not a directory|too long for a Unix socket path/,
      ],
    ];
    for (const [change, message] of cases)
      await rejectsWith(startDatabase({ ...ok, ...change }), 'DB_BAD_OPTION', message);
    const long = join(scratch, 'y'.repeat(80));
    mkdirSync(long);
    await rejectsWith(
      startDatabase({ ...ok, parentDir: long }),
      'DB_BAD_OPTION',
      /too long for a Unix socket path \(\d+ > 107 bytes\)/,
    );
    rmSync(long, { recursive: true });
    assert.deepEqual(runDirs(), []);
  });

  test('a directory the postgres user cannot reach is refused, naming it', async (t) => {
    if (process.getuid?.() !== 0) return t.skip('as another user than root the server runs as us');
    const closed = mkdtempSync(join(tmpdir(), 'db-closed-'));
    try {
      await rejectsWith(
        startDatabase({ rows: 10, parentDir: closed, maxConnections: 5 }),
        'DB_BAD_OPTION',
        new RegExp(`cannot be reached by the postgres user \\(${closed} has no x bit for it\\)`),
      );
      assert.deepEqual(readdirSync(closed), []);
    } finally {
      rmSync(closed, { recursive: true, force: true });
    }
  });

  test('PostgreSQL not installed: the command that installs it', async () => {
    assert.equal(findPostgres({ debianRoot: join(scratch, 'none'), path: '' }), null);
    await rejectsWith(
      startDatabase({
        rows: 10,
        parentDir: scratch,
        maxConnections: 5,
        install: { binDir: join(scratch, 'none'), version: '15.0' },
      }),
      'DB_NOT_INSTALLED',
      /no postgres in .*none; to install it: sudo scripts\/provision-host\.sh$/,
    );
  });

  test('a server that exits at start: DB_START_FAILED with its log, nothing left', async () => {
    // initdb from the real install (it finds its own postgres by its resolved path); a server
    // that refuses to run
    const bin = join(scratch, 'fake-bin');
    mkdirSync(bin);
    writeFileSync(
      join(bin, 'postgres'),
      '#!/bin/sh\necho "FATAL:  this fake server refuses to start" >&2\nexit 3\n',
      { mode: 0o755 },
    );
    symlinkSync(join(install.binDir, 'initdb'), join(bin, 'initdb'));
    try {
      await rejectsWith(
        startDatabase({
          rows: 10,
          parentDir: scratch,
          maxConnections: 5,
          install: { binDir: bin, version: install.version },
        }),
        'DB_START_FAILED',
        /^PostgreSQL did not start: the server exited with 3; its log ends:\n(.*\n)*FATAL: {2}this fake server refuses to start$/,
      );
    } finally {
      rmSync(bin, { recursive: true, force: true });
    }
    assert.deepEqual(runDirs(), []);
  });

  test('an abort, before or during the start: DB_ABORTED, nothing left', async () => {
    await rejectsWith(
      startDatabase({
        rows: 10,
        parentDir: scratch,
        maxConnections: 5,
        signal: AbortSignal.abort(),
      }),
      'DB_ABORTED',
      /aborted/,
    );
    for (const ms of [100, 600]) {
      await rejectsWith(
        startDatabase({
          rows: 10,
          parentDir: scratch,
          maxConnections: 5,
          signal: AbortSignal.timeout(ms),
        }),
        'DB_ABORTED',
        /^starting the database was aborted$/,
      );
      assert.deepEqual(runDirs(), []);
    }
    const ours = new Set(descendants(process.pid));
    const left = processTable().filter(
      (e) => ours.has(e.pid) && ['postgres', 'initdb', 'setpriv'].includes(e.comm),
    );
    assert.deepEqual(left, []);
  });
});

test('SIGKILL of the Node process that started it: the cluster ends, the next start removes its directory', async () => {
  const fixture = fileURLToPath(new URL('hold-database.js', import.meta.url));
  const holder = spawn(process.execPath, [fixture, scratch], {
    stdio: ['ignore', 'pipe', 'inherit'],
    detached: true,
  });
  try {
    const line = await new Promise<string>((resolve, reject) => {
      createInterface({ input: holder.stdout }).once('line', resolve);
      holder.once('exit', (code) => reject(new Error(`the holder exited with ${code}`)));
    });
    const held = JSON.parse(line) as { pid: number; dir: string; connections: number };
    const tree = descendants(held.pid);
    assert.equal(held.connections, 1);
    assert.ok(tree.length > held.connections, 'backends and background processes');
    process.kill(holder.pid as number, 'SIGKILL');
    await until('the postmaster and every backend gone', () =>
      [held.pid, ...tree].every((pid) => !isAlive(pid)),
    );
    assert.ok(existsSync(held.dir), 'a SIGKILL leaves the directory (nothing could remove it)');
    const db = await startDatabase({ rows: 10, parentDir: scratch, maxConnections: 5 });
    try {
      assert.ok(!existsSync(held.dir), 'the next start removed the stale directory');
      assert.deepEqual(runDirs(), [db.dir.slice(scratch.length + 1)]);
    } finally {
      await db.stop();
    }
  } finally {
    try {
      process.kill(-(holder.pid as number), 'SIGKILL');
    } catch {
      // gone: the test killed it
    }
  }
});
