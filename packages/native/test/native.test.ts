/**
 * The native-server entries on their real runtimes (the pinned Bun and Deno of runtimes/): two
 * processes share one port through reusePort, serve the bench app's work through its fetch face,
 * leave no temp file, and stop on SIGTERM; bad input is refused with exit 2.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { hostRuntime } from '@stackbench/runtimes';
import {
  type Entry,
  entryArgv,
  fixture,
  freePort,
  listenersOn,
  runtimeOrSkip,
  startEntry,
} from './helpers.js';

const bodyFormat = /^\d+\.\d{4}$/;
const app = '@stackbench/app:benchApp';

for (const [name, entry] of [
  ['bun', 'bun-serve'],
  ['deno', 'deno-serve'],
] as const) {
  describe(`${entry} on ${name}`, () => {
    test('two processes on one port (reusePort): the bench app, no temp file left, SIGTERM exits 0', async (t) => {
      const runtime = await runtimeOrSkip(t, name);
      if (!runtime) return;
      const scratch = mkdtempSync(join(tmpdir(), `stackbench-${entry}-test-`));
      const port = await freePort();
      const env = { TMPDIR: scratch, STACKBENCH_SLEEP_MS: '20', STACKBENCH_WRITES: '200' };
      const args = ['--port', String(port), '--reuse-port', app];
      const entries: Entry[] = [];
      try {
        entries.push(startEntry(entryArgv(runtime, entry, args), env));
        assert.equal(await entries[0]?.listening, port);
        entries.push(startEntry(entryArgv(runtime, entry, args), env));
        assert.equal(await entries[1]?.listening, port);
        assert.equal(await listenersOn(port), 2, 'one listening socket per process');
        const replies = await Promise.all(
          Array.from({ length: 8 }, () => fetch(`http://127.0.0.1:${port}/any/path`)),
        );
        for (const reply of replies) {
          assert.equal(reply.status, 200);
          assert.equal(reply.headers.get('content-type'), 'text/plain');
          const body = await reply.text();
          assert.match(body, bodyFormat);
          assert.ok(Number(body) >= 0.019, `the 20 ms sleep is in ${body}`);
        }
        assert.deepEqual(readdirSync(scratch), [], 'every temp file removed');
        for (const e of entries) e.child.kill('SIGTERM');
        for (const e of entries) assert.deepEqual(await e.exited, { code: 0, signal: null });
        assert.match(entries[0]?.output() ?? '', /SIGTERM: closing[\s\S]*closed/);
      } finally {
        for (const e of entries) e.stop();
        rmSync(scratch, { recursive: true, force: true });
      }
    });

    test('bad input: an app without a fetch face, a port held without reusePort (exit 2)', async (t) => {
      const runtime = await runtimeOrSkip(t, name);
      if (!runtime) return;
      const port = await freePort();
      const noFetch = startEntry(
        entryArgv(runtime, entry, [
          '--port',
          String(port),
          `${fixture('listener-only.js')}:handler`,
        ]),
      );
      try {
        assert.equal((await noFetch.exited).code, 2, noFetch.output());
        assert.match(
          noFetch.output(),
          /listener-only\.js:handler is a function without a fetch face/,
        );
      } finally {
        noFetch.stop();
      }
      const holder = createServer();
      await new Promise<void>((resolve) => holder.listen(port, '127.0.0.1', resolve));
      const busy = startEntry(
        entryArgv(runtime, entry, ['--port', String(port), '--reuse-port', app]),
      );
      try {
        assert.equal((await busy.exited).code, 2, busy.output());
        assert.match(busy.output(), new RegExp(`cannot listen on 127\\.0\\.0\\.1:${port}`));
      } finally {
        busy.stop();
        await new Promise<void>((resolve) => holder.close(() => resolve()));
      }
    });
  });
}

describe('an entry on the wrong runtime', () => {
  test('the Bun and Deno entries under Node say which runtime to use (exit 2)', async () => {
    for (const entry of ['bun-serve', 'deno-serve']) {
      const run = startEntry(entryArgv(hostRuntime(), entry, ['--port', '0', app]));
      try {
        assert.equal((await run.exited).code, 2, run.output());
        assert.match(run.output(), /runs on (Bun|Deno), not on Node v\d+/);
      } finally {
        run.stop();
      }
    }
  });
});
