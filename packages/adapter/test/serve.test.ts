/** serve() as a library (what prefork's cluster workers call): typed errors, counters, close. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AddressInUseError } from '@stackbench/cli';
import { serve } from '../src/index.js';
import { fixture } from './helpers/adapter-process.js';
import { httpRequest } from './helpers/http.js';
import { closeServer, listeningServer, portOf } from './helpers/sockets.js';

const apps = fixture('apps.js');
const log = () => {};

describe('serve()', () => {
  it('serves, counts and closes (both backends)', async () => {
    for (const backend of ['node', 'threads'] as const) {
      const server = await serve({
        app: `${apps}:hello`,
        backend,
        listen: { host: '127.0.0.1', port: 0 },
        backlog: 64,
        threads: 1,
        log,
      });
      assert.match(server.address, /^127\.0\.0\.1:\d+$/);
      assert.equal((await httpRequest(server.address)).body, 'hello\n');
      assert.deepEqual(server.counters(), { requests: 1, inFlight: 0, errors: 0 });
      await server.close(1000);
      await server.close(1000); // idempotent
    }
  });
  it('rejects with typed errors: unknown backend, address in use, bad app', async () => {
    const taken = await listeningServer();
    try {
      await assert.rejects(
        serve({
          app: `${apps}:hello`,
          backend: 'fibers' as never,
          listen: { port: 0, host: '127.0.0.1' },
          backlog: 1,
        }),
        { code: 'ADAPTER_BACKEND_UNKNOWN' },
      );
      await assert.rejects(
        serve({
          app: `${apps}:hello`,
          backend: 'node',
          listen: { host: '127.0.0.1', port: portOf(taken) },
          backlog: 1,
          log,
        }),
        (error: unknown) =>
          error instanceof AddressInUseError && error.code === 'ADAPTER_ADDRESS_IN_USE',
      );
      await assert.rejects(
        serve({
          app: `${apps}:nope`,
          backend: 'threads',
          listen: { host: '127.0.0.1', port: 0 },
          backlog: 1,
        }),
        { code: 'ADAPTER_APP_EXPORT_MISSING' },
      );
    } finally {
      await closeServer(taken);
    }
  });
});
