import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { after, test } from 'node:test';
import { UsageMeter } from '@stackbench/host-probe';
import { SETTLE_MS, waitReady } from '../src/session/readiness.js';

// A stack of two processes: a server that answers at once, and a worker that boots for BOOT_MS
// (a busy loop, as a worker compiling its app) before it idles.
const BOOT_MS = 1500;
const SERVER = `require('node:http').createServer((q, s) => s.end('ok')).listen(0, '127.0.0.1', function () { process.stdout.write(this.address().port + '\\n'); });`;
const WORKER = `const t = Date.now(); while (Date.now() - t < ${BOOT_MS}) {} setInterval(() => {}, 1000);`;

const started: ChildProcess[] = [];
after(() => {
  for (const child of started) child.kill('SIGKILL');
});

async function stack(): Promise<{ url: string; pids: number[] }> {
  const server = spawn(process.execPath, ['-e', SERVER], { stdio: ['ignore', 'pipe', 'inherit'] });
  started.push(server);
  const [chunk] = (await once(server.stdout!, 'data')) as [Buffer];
  // the worker starts booting once the server answers: the wait below begins with its boot
  const worker = spawn(process.execPath, ['-e', WORKER], { stdio: 'ignore' });
  started.push(worker);
  return { url: `http://127.0.0.1:${chunk.toString().trim()}/`, pids: [server.pid!, worker.pid!] };
}

/** The stack's processes as the local target reads them: how many are running at the reading. */
const watched = (pids: number[]) => async () => ({
  pids,
  runnable: new UsageMeter().sample(pids).running,
});

const check = (url: string) => ({
  url,
  status: 200,
  body: /^ok$/,
  timeoutMs: 10_000,
  exited: () => null,
});

test('ready waits until the processes have settled, not only for the first answer', async () => {
  const { url, pids } = await stack();
  const t0 = performance.now();
  await waitReady({
    ...check(url),
    processes: watched(pids),
  });
  const waited = performance.now() - t0;
  // the worker's boot, then a settled span; the server answered from the start
  assert.ok(waited >= BOOT_MS - 200 + SETTLE_MS, `waited ${waited.toFixed(0)} ms`);
  assert.ok(waited < BOOT_MS + SETTLE_MS + 3000, `waited ${waited.toFixed(0)} ms`);
});

test('without processes to watch, the first right answer is ready', async () => {
  const { url } = await stack();
  const t0 = performance.now();
  await waitReady(check(url));
  assert.ok(performance.now() - t0 < BOOT_MS - 200, 'did not wait for the booting worker');
});

test('a stack that never settles fails at its timeout, saying so', async () => {
  const { url, pids } = await stack();
  await assert.rejects(
    waitReady({
      ...check(url),
      timeoutMs: 700,
      processes: watched(pids),
    }),
    /not ready within 0\.7 s .*answering, still starting: 2 processes, [12] of them running/,
  );
});
