/**
 * --reuse-port: two real adapters bind the same port, each with a socket of its own, and both
 * serve (Node >= 22.12); on an older Node the option would be ignored silently, so the adapter
 * refuses it up front (exit 2) instead of failing later with EADDRINUSE in the second process.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { describe, it } from 'node:test';
import { hasReusePort } from '../src/listen.js';
import { type AdapterProcess, runAdapter, startAdapter } from './helpers/adapter-process.js';
import { httpRequest } from './helpers/http.js';

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** LISTEN sockets on 127.0.0.1:port (/proc/net/tcp): one per process bound with SO_REUSEPORT. */
function listeners(port: number): number {
  const hex = `0100007F:${port.toString(16).toUpperCase().padStart(4, '0')}`;
  return readFileSync('/proc/net/tcp', 'utf8')
    .split('\n')
    .filter((line) => {
      const cols = line.trim().split(/\s+/);
      return cols[1] === hex && cols[3] === '0A';
    }).length;
}

describe('--reuse-port', () => {
  it('knows which Node versions have listen({ reusePort })', () => {
    assert.equal(hasReusePort('20.20.2'), false);
    assert.equal(hasReusePort('22.11.0'), false);
    assert.equal(hasReusePort('22.12.0'), true);
    assert.equal(hasReusePort('23.0.0'), false);
    assert.equal(hasReusePort('23.1.0'), true);
    assert.equal(hasReusePort('24.0.0'), true);
  });

  it(`on this Node (${process.version}): two adapters share the port, or the option is refused`, async () => {
    const port = await freePort();
    const args = ['--port', String(port), '--reuse-port', '@stackbench/app:helloApp'];
    if (!hasReusePort(process.versions.node)) {
      const result = await runAdapter(args);
      assert.equal(result.code, 2);
      assert.match(result.stderr, /--reuse-port needs Node >= 22\.12 .*this is Node 2\d\./);
      return;
    }
    const adapters: AdapterProcess[] = [];
    try {
      for (let i = 0; i < 2; i++) {
        adapters.push(startAdapter(args));
        assert.equal(await adapters[i]?.listening, `127.0.0.1:${port}`);
      }
      assert.equal(listeners(port), 2, 'a listening socket per adapter');
      const address = `127.0.0.1:${port}`;
      const replies = await Promise.all(Array.from({ length: 6 }, () => httpRequest(address)));
      assert.deepEqual(new Set(replies.map((r) => r.body)), new Set(['Hello, World!']));
      adapters[0]?.child.kill('SIGTERM');
      assert.equal((await adapters[0]?.exited)?.code, 0);
      // the other one still serves on its own socket
      assert.equal((await httpRequest(address)).body, 'Hello, World!');
    } finally {
      for (const a of adapters) a.stop();
    }
  });
});
