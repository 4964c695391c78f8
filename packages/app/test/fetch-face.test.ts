/**
 * The apps' fetch face, the one native servers call (Bun.serve, Deno.serve): the same work and
 * answer as the listener face, its temp file removed, a fault answered 500. Called here with
 * real Request objects; the native servers themselves are tested in packages/native.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { createBenchApp, guardFetch, helloApp, helloBody } from '../src/index.js';

const scratch = mkdtempSync(join(tmpdir(), 'bench-app-fetch-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

describe('fetch face', () => {
  it('benchApp.fetch: 200 text/plain, the elapsed seconds with the sleep in them, no file left', async () => {
    const app = createBenchApp({
      cpuIterations: 10_000,
      sleepMs: 30,
      writes: 300,
      writeMode: 'sync',
      tmpDir: scratch,
    });
    assert.equal(app.length, 2, 'still a (req, res) listener for node:http');
    const replies = await Promise.all(
      [1, 2, 3].map(() => app.fetch(new Request('http://127.0.0.1/any?x=1', { method: 'POST' }))),
    );
    for (const reply of replies) {
      assert.equal(reply.status, 200);
      assert.equal(reply.headers.get('content-type'), 'text/plain');
      const body = await reply.text();
      assert.match(body, /^\d+\.\d{4}$/);
      assert.ok(Number(body) >= 0.029, `the 30 ms sleep is in ${body}`);
    }
    assert.deepEqual(readdirSync(scratch), []);
  });

  it('a write that fails is a 500 with the listener face’s body, logged once', async () => {
    const lines: string[] = [];
    const app = createBenchApp({
      cpuIterations: 10,
      sleepMs: 0,
      writes: 1,
      writeMode: 'sync',
      tmpDir: join(scratch, 'no-such-dir'),
      log: (line) => lines.push(line),
    });
    const reply = await app.fetch(new Request('http://127.0.0.1/'));
    assert.equal(reply.status, 500);
    assert.equal(await reply.text(), 'Internal Server Error\n');
    assert.equal(lines.length, 1);
    assert.match(lines[0] ?? '', /^benchApp: internal error: ENOENT/);
  });

  it('helloApp.fetch and guardFetch around a throwing handler', async () => {
    const hello = await helloApp.fetch(new Request('http://127.0.0.1/'));
    assert.equal(await hello.text(), helloBody);
    const lines: string[] = [];
    const guarded = guardFetch(
      'x',
      () => {
        throw new Error('boom');
      },
      (line) => lines.push(line),
    );
    assert.equal((await guarded(new Request('http://127.0.0.1/'))).status, 500);
    assert.deepEqual(lines, ['x: internal error: boom']);
  });
});
