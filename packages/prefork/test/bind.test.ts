import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { describe, it } from 'node:test';
import { AddressInUseError } from '@stackbench/cli';
import { formatBind, parseBind, probeBind } from '../src/bind.js';
import { BindSpecError } from '../src/errors.js';

describe('bind', () => {
  it('parses HOST:PORT and [IPv6]:PORT', () => {
    assert.deepEqual(parseBind('127.0.0.1:8080'), { host: '127.0.0.1', port: 8080 });
    assert.deepEqual(parseBind('localhost:0'), { host: 'localhost', port: 0 });
    assert.deepEqual(parseBind('[::1]:9000'), { host: '::1', port: 9000 });
    assert.equal(formatBind({ host: '::1', port: 9000 }), '[::1]:9000');
  });

  for (const bad of ['8080', 'host:', ':80', 'a:b', '1.2.3.4:65536', '::1:80', 'unix:/tmp/s']) {
    it(`rejects ${JSON.stringify(bad)}`, () => {
      assert.throws(() => parseBind(bad), BindSpecError);
    });
  }

  it('probe resolves port 0 to a free port and reports a port in use', async () => {
    const port = await probeBind({ host: '127.0.0.1', port: 0 });
    assert.ok(port > 0);
    const holder = createServer();
    await new Promise<void>((resolve) => holder.listen({ host: '127.0.0.1', port }, resolve));
    try {
      await assert.rejects(probeBind({ host: '127.0.0.1', port }), AddressInUseError);
    } finally {
      holder.close();
    }
  });
});
