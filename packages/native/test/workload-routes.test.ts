/**
 * The app's workload routes through its fetch face on the native servers (Bun.serve, Deno.serve
 * of the pinned runtimes): /plaintext and /json with their exact bodies, and /db with `pg` on
 * that runtime reading a real private PostgreSQL over its Unix socket.
 */
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { type Database, startDatabase, worldRandomNumber } from '@stackbench/database';
import { type Entry, entryArgv, freePort, runtimeOrSkip, startEntry } from './helpers.js';

const ROWS = 100;

describe('the workload routes on the native servers', () => {
  let scratch: string;
  let db: Database;
  before(async () => {
    scratch = mkdtempSync(join(tmpdir(), 'native-routes-'));
    chmodSync(scratch, 0o755);
    db = await startDatabase({ rows: ROWS, parentDir: scratch, maxConnections: 5 });
  });
  after(async () => {
    await db?.stop();
    rmSync(scratch, { recursive: true, force: true });
  });

  for (const [name, entry] of [
    ['bun', 'bun-serve'],
    ['deno', 'deno-serve'],
  ] as const) {
    test(`${entry} on ${name}: /plaintext, /json, /db`, async (t) => {
      const runtime = await runtimeOrSkip(t, name);
      if (!runtime) return;
      const port = await freePort();
      const env = { ...db.env, STACKBENCH_DB_ROWS: String(ROWS), TMPDIR: scratch };
      const args = ['--port', String(port), '@stackbench/app:benchApp'];
      let served: Entry | undefined;
      try {
        served = startEntry(entryArgv(runtime, entry, args), env);
        assert.equal(await served.listening, port);
        const base = `http://127.0.0.1:${port}`;
        const plain = await fetch(`${base}/plaintext`);
        assert.equal(plain.status, 200);
        assert.match(plain.headers.get('content-type') ?? '', /^text\/plain/);
        assert.equal(await plain.text(), 'Hello, World!');
        const json = await fetch(`${base}/json`);
        assert.match(json.headers.get('content-type') ?? '', /^application\/json/);
        assert.match(await json.text(), /^\{\s*"message"\s*:\s*"Hello, World!"\s*\}$/);
        for (const path of ['/db', '/db?queries=4']) {
          const reply = await fetch(`${base}${path}`);
          const body = await reply.text();
          assert.equal(reply.status, 200, `${path}: ${body}\n${served.output()}`);
          assert.match(reply.headers.get('content-type') ?? '', /^application\/json/);
          const parsed = JSON.parse(body) as { id: number; randomNumber: number } | unknown[];
          const rows = (Array.isArray(parsed) ? parsed : [parsed]) as {
            id: number;
            randomNumber: number;
          }[];
          assert.equal(rows.length, path === '/db' ? 1 : 4);
          assert.equal(Array.isArray(parsed), path !== '/db');
          for (const row of rows) assert.equal(row.randomNumber, worldRandomNumber(row.id), body);
        }
      } finally {
        served?.stop();
        await served?.exited;
      }
    });
  }
});
