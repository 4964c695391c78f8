import assert from 'node:assert/strict';
import { once } from 'node:events';
import net from 'node:net';
import { describe, it } from 'node:test';
import { canListen, freePort } from '../src/free-port.js';

describe('freePort and canListen', () => {
  it('gives a bindable loopback port, which canListen sees taken while a server holds it', async () => {
    const port = await freePort();
    assert.ok(port > 0 && port < 65536);
    assert.equal(await canListen(port), true);
    const server = net.createServer().listen({ port, host: '127.0.0.1', exclusive: true });
    await once(server, 'listening');
    try {
      assert.equal(await canListen(port), false);
    } finally {
      server.close();
    }
  });
});
