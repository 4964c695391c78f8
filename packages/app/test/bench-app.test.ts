import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { Agent } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createBenchApp, type WriteMode } from '../src/index.js';
import { get, type Served, serveOnLoopback } from './serve.js';

const bodyFormat = /^\d+\.\d{4}$/;

for (const writeMode of ['sync', 'async'] as WriteMode[]) {
  describe(`benchApp (${writeMode} writes) on a real server`, () => {
    let served: Served;
    let scratch: string;
    const params = { cpuIterations: 10_000, sleepMs: 60, writes: 500, writeMode };

    before(async () => {
      scratch = mkdtempSync(join(tmpdir(), 'bench-app-'));
      served = await serveOnLoopback(createBenchApp({ ...params, tmpDir: scratch }));
    });
    after(async () => {
      await served.close();
      rmSync(scratch, { recursive: true, force: true });
    });

    it('answers 200 text/plain with the elapsed seconds, for any method and path', async () => {
      for (const [path, method] of [
        ['', 'GET'],
        ['any/path?x=1', 'POST'],
        ['x', 'HEAD'],
      ] as const) {
        const reply = await get(served.url + path, undefined, method);
        assert.equal(reply.status, 200);
        assert.equal(reply.contentType, 'text/plain');
        if (method !== 'HEAD') assert.match(reply.body, bodyFormat);
      }
    });

    it('honours the sleep: elapsed ≥ sleep, in the body and at the client', async () => {
      const reply = await get(served.url);
      // libuv timers have 1 ms resolution: allow them to fire up to 1 ms early.
      assert.ok(Number(reply.body) >= (params.sleepMs - 1) / 1000, `body ${reply.body}`);
      assert.ok(reply.ms >= params.sleepMs - 1, `client saw ${reply.ms} ms`);
    });

    it('removes its temporary file once the response is sent', async () => {
      await Promise.all([get(served.url), get(served.url), get(served.url)]);
      assert.deepEqual(readdirSync(scratch), []);
    });
  });
}

describe('benchApp resources', () => {
  it('does not grow its open file descriptors over 200 requests', async () => {
    const scratch = mkdtempSync(join(tmpdir(), 'bench-app-fd-'));
    const served = await serveOnLoopback(
      createBenchApp({
        cpuIterations: 1000,
        sleepMs: 0,
        writes: 20,
        writeMode: 'sync',
        tmpDir: scratch,
      }),
    );
    const openFds = () => readdirSync('/proc/self/fd').length;
    const agent = new Agent({ keepAlive: true, maxSockets: 4 });
    try {
      await get(served.url, agent);
      agent.destroy();
      await waitForNoConnections(served);
      const before = openFds();
      const client = new Agent({ keepAlive: true, maxSockets: 4 });
      for (let batch = 0; batch < 50; batch++) {
        await Promise.all([1, 2, 3, 4].map(() => get(served.url, client)));
      }
      client.destroy();
      await waitForNoConnections(served);
      assert.equal(openFds(), before, 'open fds after 200 requests');
      assert.deepEqual(readdirSync(scratch), []);
    } finally {
      await served.close();
      rmSync(scratch, { recursive: true, force: true });
    }
  });
});

async function waitForNoConnections(served: Served): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const count = await new Promise<number>((resolve) =>
      served.server.getConnections((_e, n) => resolve(n)),
    );
    if (count === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error('server connections did not close');
}

describe('benchApp faults', () => {
  it('turns an internal error into a 500 with a short body, logs it once, and keeps serving', async () => {
    const lines: string[] = [];
    const missing = join(tmpdir(), `no-such-dir-${process.pid}`, 'x');
    const served = await serveOnLoopback(
      createBenchApp({
        cpuIterations: 10,
        sleepMs: 0,
        writes: 5,
        writeMode: 'sync',
        tmpDir: missing,
        log: (l) => lines.push(l),
      }),
    );
    try {
      const first = await get(served.url);
      assert.equal(first.status, 500);
      assert.equal(first.body, 'Internal Server Error\n');
      assert.equal(lines.length, 1);
      assert.match(lines[0] ?? '', /benchApp: internal error: ENOENT/);
      const second = await get(served.url);
      assert.equal(second.status, 500);
      assert.equal(lines.length, 2);
    } finally {
      await served.close();
    }
  });
});
