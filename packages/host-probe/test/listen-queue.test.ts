import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { freePort } from '../src/free-port.js';
import { acceptQueueDepth, findQueue, parseSs, readListenQueues } from '../src/listen-queue.js';

describe('parseSs', () => {
  const output = [
    'tcp LISTEN 7      2048   127.0.0.1:8080 0.0.0.0:*',
    'tcp LISTEN 0      511    [::1]:9090 [::]:*',
    'tcp ESTAB  5      0      127.0.0.1:8080 127.0.0.1:5000',
    'u_str LISTEN 3    2048   /tmp/web.sock 12345 * 0',
  ].join('\n');
  it('reads Recv-Q of listening sockets only, by port or path', () => {
    const queues = parseSs(output);
    assert.equal(queues.length, 3);
    assert.equal(findQueue(queues, { port: 8080 })?.queued, 7);
    assert.equal(findQueue(queues, { port: 8080 })?.backlog, 2048);
    assert.equal(findQueue(queues, { port: 9090 })?.queued, 0);
    assert.equal(findQueue(queues, { unixPath: '/tmp/web.sock' })?.queued, 3);
    assert.equal(findQueue(queues, { port: 1 }), undefined);
  });
});

const dir = mkdtempSync(join(tmpdir(), 'host-probe-'));
const children: ChildProcess[] = [];
after(() => {
  for (const child of children) child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

/** A child that listens (backlog 64), says where over IPC, then is stopped so it accepts nothing. */
async function stoppedListener(where: number | string): Promise<ChildProcess> {
  const code = `const s=require('node:net').createServer();s.listen({${
    typeof where === 'number' ? `port:${where},host:'127.0.0.1'` : `path:${JSON.stringify(where)}`
  },backlog:64},()=>process.send('listening'))`;
  const child = spawn(process.execPath, ['-e', code], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  children.push(child);
  const [message] = await once(child, 'message');
  assert.equal(message, 'listening');
  child.kill('SIGSTOP');
  return child;
}

async function connectAll(count: number, target: net.NetConnectOpts): Promise<net.Socket[]> {
  const sockets = Array.from({ length: count }, () => net.connect(target));
  // 'connect' is the handshake done: the kernel has queued the connection for accept(2)
  await Promise.all(sockets.map((s) => once(s, 'connect')));
  return sockets;
}

/** Polls the probe until `check` holds; the kernel is the signal, the bound only stops a hang. */
async function until<T>(read: () => Promise<T>, check: (v: T) => boolean): Promise<T> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const value = await read();
    if (check(value) || Date.now() > deadline) return value;
    await new Promise((r) => setImmediate(r));
  }
}

describe('listen queues read with ss', () => {
  it('counts the connections waiting on a stopped TCP listener, by port', async () => {
    const port = await freePort();
    const child = await stoppedListener(port);
    const sockets = await connectAll(3, { port, host: '127.0.0.1' });
    try {
      const depth = await until(
        () => acceptQueueDepth(port),
        (d) => d === 3,
      );
      assert.equal(depth, 3);
      const all = await readListenQueues();
      assert.equal(findQueue(all, { port })?.backlog, 64);
    } finally {
      for (const s of sockets) s.destroy();
      child.kill('SIGKILL');
    }
    const gone = await until(
      () => acceptQueueDepth(port),
      (d) => d === null,
    );
    assert.equal(gone, null, 'no listener, no depth');
  });

  it('reads Unix listening sockets too, by path', async () => {
    const path = join(dir, 'web.sock');
    const child = await stoppedListener(path);
    const sockets = await connectAll(2, { path });
    try {
      const queue = await until(
        async () => findQueue(await readListenQueues({ unix: true }), { unixPath: path }),
        (q) => q?.queued === 2,
      );
      assert.equal(queue?.queued, 2);
    } finally {
      for (const s of sockets) s.destroy();
      child.kill('SIGKILL');
    }
  });
});
