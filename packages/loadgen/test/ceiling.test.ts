/**
 * The driver's ceiling: the null server answers real HTTP (keep-alive, pipelined, a head cut
 * across writes) and leaves no process; `measureCeiling` returns per-thread figures for the
 * threads asked, and leaves no server process and no thread behind; the CLI prints its record.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readdirSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { after, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { isAlive, processTable } from '@stackbench/host-probe';
import { measureCeiling, type NullServer, startNullServer } from '../src/index.js';

const run = promisify(execFile);
const BIN = new URL('../../bin/stackbench-load.js', import.meta.url).pathname;

const children = () =>
  processTable()
    .filter((p) => p.ppid === process.pid)
    .map((p) => p.pid);
const threads = () => readdirSync('/proc/self/task').length;

function get(agent: http.Agent, url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { agent }, (res) => {
        let body = '';
        res.on('data', (c: Buffer) => {
          body += c.toString();
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      })
      .on('error', reject);
  });
}

describe('null server', () => {
  let server: NullServer | null = null;
  after(async () => server?.close());

  test('answers real HTTP requests, kept alive, pipelined and cut across writes', async () => {
    server = await startNullServer(2);
    assert.equal(server.pids.length, 2);
    assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+\/$/);
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const first = await get(agent, server.url);
    const second = await get(agent, server.url);
    agent.destroy();
    assert.deepEqual(first, { status: 200, body: 'ok' });
    assert.deepEqual(second, first);

    // three requests: two in one write, the third's head split inside its blank line
    const socket = net.connect(server.port, '127.0.0.1');
    let text = '';
    socket.on('data', (c: Buffer) => {
      text += c.toString();
    });
    const head = 'GET / HTTP/1.1\r\nHost: x\r\n\r\n';
    socket.write(head + head);
    socket.write('GET / HTTP/1.1\r\nHost: x\r\n\r');
    await new Promise((r) => setTimeout(r, 50));
    socket.write('\n');
    for (let i = 0; i < 200 && (text.match(/HTTP\/1\.1 200/g) ?? []).length < 3; i++) {
      await new Promise((r) => setTimeout(r, 10));
    }
    socket.destroy();
    assert.equal((text.match(/HTTP\/1\.1 200 OK/g) ?? []).length, 3, text);
  });

  test('close ends every process it started', async () => {
    const pids = (server as NullServer).pids;
    await (server as NullServer).close();
    server = null;
    for (const pid of pids) assert.equal(isAlive(pid), false, `null-server pid ${pid}`);
  });
});

describe('measureCeiling', () => {
  test('per-thread figures for the threads asked, nothing left behind', async () => {
    // a first run starts whatever threads a process keeps (libuv's pool): the second must add none
    await measureCeiling({ threads: 1, connections: 8, durationS: 0.3, warmupS: 0.1 });
    const before = { children: children(), threads: threads() };
    const c = await measureCeiling({ threads: 2, connections: 32, durationS: 1, warmupS: 0.3 });
    assert.equal(c.threads, 2);
    assert.equal(c.connections, 32);
    assert.equal(c.connectionsPerThread, 16);
    assert.ok(c.rps > 0, `rps ${c.rps}`);
    assert.ok(Math.abs(c.perThreadRps * 2 - c.rps) <= 0.2, `${c.perThreadRps} × 2 vs ${c.rps}`);
    // the window's own clock: a millisecond either side of the 1 s asked (0.999 was seen)
    assert.ok(c.durationS >= 0.99 && c.durationS < 1.5, `durationS ${c.durationS}`);
    assert.ok(c.serverProcesses >= 1);
    assert.deepEqual(children(), before.children);
    assert.ok(threads() <= before.threads, `threads ${threads()} > ${before.threads}`);
  });

  test('an abort before the window ends rejects, and still cleans up', async () => {
    const before = children();
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 300);
    await assert.rejects(
      measureCeiling({ threads: 1, connections: 8, durationS: 5, warmupS: 0 }, controller.signal),
      (e: Error & { code?: string }) => e.code === 'LOADGEN_CEILING',
    );
    assert.deepEqual(children(), before);
  });
});

describe('stackbench-load --ceiling', () => {
  test('prints the record as JSON, threads and connections as given', async () => {
    const { stdout, stderr } = await run(process.execPath, [
      BIN,
      '--ceiling',
      '--threads',
      '2',
      '--connections',
      '20',
      '--duration',
      '0.5',
      '--warmup',
      '0.2',
    ]);
    const c = JSON.parse(stdout) as Awaited<ReturnType<typeof measureCeiling>>;
    assert.equal(c.threads, 2);
    assert.equal(c.connectionsPerThread, 10);
    assert.ok(c.perThreadRps > 0);
    assert.match(stderr, /driver ceiling: \d+ req\/s per thread/);
  });

  test("without --duration it reads for its own 1.5 s, not a load's default", async () => {
    const { stdout } = await run(process.execPath, [BIN, '--ceiling', '--connections', '8']);
    const c = JSON.parse(stdout) as Awaited<ReturnType<typeof measureCeiling>>;
    assert.ok(c.durationS >= 1.49 && c.durationS < 3, `durationS ${c.durationS}`);
  });

  test('refuses a URL and fewer connections than threads (exit 2)', async () => {
    for (const args of [
      ['--ceiling', 'http://127.0.0.1:1/'],
      ['--ceiling', '--threads', '4', '--connections', '2'],
    ]) {
      await assert.rejects(
        run(process.execPath, [BIN, ...args]),
        (e: { code?: number; stderr?: string }) => {
          assert.equal(e.code, 2, String(e.stderr));
          return true;
        },
      );
    }
  });
});
