/**
 * The adapter as the supervisor runs it: a socket the test binds is handed over at fd 3, with an
 * IPC channel; readiness and stats arrive as messages; signals end it the documented ways.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { isAlive } from '@stackbench/host-probe';
import { isWorkerMessage } from '@stackbench/protocol';
import { type AdapterProcess, binPath, fixture, startAdapter } from './helpers/adapter-process.js';
import { httpRequest, until } from './helpers/http.js';
import {
  closeServer,
  kernelBacklog,
  listeningServer,
  portOf,
  tryConnect,
} from './helpers/sockets.js';

const apps = fixture('apps.js');
const started: AdapterProcess[] = [];
const scratch = mkdtempSync(join(tmpdir(), 'adapter-lifecycle-'));
after(() => {
  for (const adapter of started) adapter.stop();
  rmSync(scratch, { recursive: true, force: true });
});

function start(...args: Parameters<typeof startAdapter>): AdapterProcess {
  const adapter = startAdapter(...args);
  started.push(adapter);
  return adapter;
}

describe('adapter on an inherited fd', () => {
  it('serves the socket with the requested backlog, says ready and sends stats over IPC', async () => {
    const socket = await listeningServer({ backlog: 511 });
    const port = portOf(socket);
    const adapter = start(['--fd', '3', '--backlog', '1234', `${apps}:hello`], {
      socket,
      ipc: true,
    });
    await closeServer(socket); // the adapter now holds the only copy
    assert.equal(await adapter.listening, 'fd:3');
    await until(() => adapter.messages.some((m) => m.type === 'ready'), 5000, 'ready message');
    const ready = adapter.messages.find((m) => m.type === 'ready');
    assert.ok(isWorkerMessage(ready));
    assert.deepEqual(ready, { type: 'ready', listen: 'fd:3', pid: adapter.pid });
    assert.equal(kernelBacklog(port), 1234, 'listen(2) re-run with --backlog, not 511');

    for (let i = 0; i < 3; i++)
      assert.equal((await httpRequest(`127.0.0.1:${port}`)).body, 'hello\n');
    await until(
      () => adapter.messages.some((m) => m.type === 'stats' && m.requests >= 3),
      4000,
      'stats with 3 requests',
    );
    const stats = adapter.messages.filter((m) => m.type === 'stats').at(-1);
    assert.deepEqual(stats, {
      type: 'stats',
      pid: adapter.pid,
      requests: 3,
      inFlight: 0,
      errors: 0,
    });
    adapter.child.kill('SIGTERM');
    assert.deepEqual(await adapter.exited, { code: 0, signal: null });
  });

  it('serves an inherited Unix socket', async () => {
    const path = join(scratch, 'a.sock');
    const socket = await listeningServer({ path });
    const adapter = start(
      ['--fd', '3', '--backend', 'threads', '--threads', '1', `${apps}:hello`],
      { socket },
    );
    // Closing a bound Unix server unlinks its path: move the path away first so the socket lives on.
    renameSync(path, `${path}.handed`);
    await closeServer(socket);
    await adapter.listening;
    assert.equal((await httpRequest(`unix:${path}.handed`)).body, 'hello\n');
    adapter.stop();
  });

  it('binds a Unix socket itself with --unix and removes it on SIGTERM', async () => {
    const path = join(scratch, 'own.sock');
    const adapter = start(['--unix', path, `${apps}:hello`]);
    assert.equal(await adapter.listening, `unix:${path}`);
    assert.equal((await httpRequest(`unix:${path}`)).body, 'hello\n');
    adapter.child.kill('SIGTERM');
    assert.deepEqual(await adapter.exited, { code: 0, signal: null });
    assert.equal(existsSync(path), false);
  });

  it('SIGTERM: refuses new connections, lets the in-flight request finish, exits 0', async () => {
    for (const backend of ['node', 'threads']) {
      const socket = await listeningServer();
      const port = portOf(socket);
      const adapter = start(['--fd', '3', '--backend', backend, `${apps}:slow`], { socket });
      await closeServer(socket);
      await adapter.listening;
      const slow = httpRequest(`127.0.0.1:${port}`, '/?ms=1000&say=1');
      await until(
        () => adapter.stderr().includes('slow request started'),
        10_000,
        'in the handler',
      );
      adapter.child.kill('SIGTERM');
      await until(() => adapter.stderr().includes('SIGTERM: closing'), 3000, 'SIGTERM log line');
      assert.equal(await tryConnect(port), 'ECONNREFUSED', `${backend}: listener closed`);
      const reply = await slow;
      assert.equal(reply.status, 200, backend);
      assert.equal(reply.body, 'slept 1000\n');
      assert.equal(reply.headers.connection, 'close');
      assert.deepEqual(await adapter.exited, { code: 0, signal: null });
    }
  });

  it('SIGTERM: cuts requests still running after --graceful-timeout', async () => {
    const adapter = start(['--port', '0', '--graceful-timeout', '0.3', `${apps}:slow`]);
    const address = await adapter.listening;
    const slow = httpRequest(address, '/?ms=20000&say=1');
    await until(() => adapter.stderr().includes('slow request started'), 10_000, 'in the handler');
    const t0 = Date.now();
    adapter.child.kill('SIGTERM');
    await assert.rejects(slow, /socket hang up|ECONNRESET/);
    assert.deepEqual(await adapter.exited, { code: 0, signal: null });
    assert.ok(Date.now() - t0 < 5000);
  });

  it('SIGINT and SIGQUIT exit at once, in-flight or not', async () => {
    for (const signal of ['SIGINT', 'SIGQUIT'] as const) {
      const adapter = start(['--port', '0', `${apps}:slow`]);
      const address = await adapter.listening;
      const slow = httpRequest(address, '/?ms=20000&say=1').catch((error: Error) => error);
      await until(
        () => adapter.stderr().includes('slow request started'),
        10_000,
        'in the handler',
      );
      adapter.child.kill(signal);
      assert.deepEqual(await adapter.exited, { code: 0, signal: null }, signal);
      assert.ok((await slow) instanceof Error, `${signal}: the slow request was not waited for`);
    }
  });

  it('exits when the parent that started it over IPC dies (no orphans)', async () => {
    // A middle process starts the adapter with IPC and prints its pid; then the middle one dies.
    // (A plain write: under nx, FORCE_COLOR makes console.log colour numbers.)
    const script = `
      const { spawn } = require('node:child_process');
      const child = spawn(process.execPath, [${JSON.stringify(binPath)}, '--port', '0', ${JSON.stringify(`${apps}:hello`)}],
        { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
      child.on('message', (m) => { if (m.type === 'ready') process.stdout.write(child.pid + '\\n'); });`;
    const middle = spawn(process.execPath, ['-e', script], {
      stdio: ['ignore', 'pipe', 'ignore'],
      detached: true,
    });
    try {
      const pid = await new Promise<number>((resolve) => {
        middle.stdout.setEncoding('utf8');
        middle.stdout.once('data', (line: string) => resolve(Number(line.trim())));
      });
      const alive = () => isAlive(pid);
      assert.ok(alive());
      middle.kill('SIGKILL');
      await until(() => !alive(), 5000, 'adapter exit after its parent died');
    } finally {
      try {
        process.kill(-(middle.pid as number), 'SIGKILL');
      } catch {
        // group already gone
      }
    }
  });

  it('runs the pre-hook before listening and the post-hook after closing', async () => {
    const file = join(scratch, 'hooks.log');
    const hooks = fixture('hooks.js');
    const adapter = start(
      [
        '--port',
        '0',
        '--pre-hook',
        `${hooks}:before`,
        '--post-hook',
        `${hooks}:after`,
        `${apps}:hello`,
      ],
      { env: { HOOK_FILE: file } },
    );
    const address = await adapter.listening;
    assert.equal(readFileSync(file, 'utf8'), 'pre 127.0.0.1:0\n');
    adapter.child.kill('SIGTERM');
    assert.deepEqual(await adapter.exited, { code: 0, signal: null }, adapter.stderr());
    assert.equal(readFileSync(file, 'utf8'), `pre 127.0.0.1:0\npost ${address}\n`);
  });
});
