/**
 * App faults on both backends: a throw, a rejection, a throw from a later callback each give a 500
 * and a log line, and the process keeps serving; an abandoned request does not stay in flight.
 */
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, describe, it } from 'node:test';
import { type AdapterProcess, fixture, startAdapter } from './helpers/adapter-process.js';
import { httpRequest, until } from './helpers/http.js';

const apps = fixture('apps.js');
const started: AdapterProcess[] = [];
after(() => {
  for (const adapter of started) adapter.stop();
});

/** Starts a request and destroys it after `ms`, as an impatient client would. */
function abandon(address: string, path: string, ms: number): Promise<void> {
  const [host, port] = address.split(':');
  return new Promise((resolve) => {
    const req = request({ host, port: Number(port), path, agent: false });
    req.on('error', () => resolve());
    req.end();
    setTimeout(() => {
      req.destroy();
      resolve();
    }, ms);
  });
}

for (const backend of ['node', 'threads'] as const) {
  describe(`app faults (${backend})`, () => {
    it('throw, rejection and late throw each give a 500 and a log line, then serving goes on', async () => {
      const faults = ['throws', 'rejects', 'throwsLater'];
      const servers: AdapterProcess[] = [];
      for (const name of faults) {
        // node answers a throw from a timer only with --catch-late-faults; threads always does.
        const late = backend === 'node' ? ['--catch-late-faults'] : [];
        const one = startAdapter(
          ['--port', '0', '--backend', backend, '--threads', '1', ...late, `${apps}:${name}`],
          { ipc: true },
        );
        started.push(one);
        servers.push(one);
        const address = await one.listening;
        for (let i = 0; i < 2; i++) {
          const reply = await httpRequest(address);
          assert.equal(reply.status, 500, `${name} #${i}`);
          assert.equal(reply.body, 'Internal Server Error\n');
        }
        assert.match(one.stderr(), /app fault on GET \/: .*boom/, name);
        await until(
          () => one.messages.some((m) => m.type === 'stats' && m.errors === 2),
          4000,
          `${name} stats`,
        );
      }
      for (const one of servers) assert.equal(one.child.exitCode, null, 'still running');
    });

    if (backend === 'node') {
      it('without --catch-late-faults a throw from a later callback logs and exits 1', async () => {
        const adapter = startAdapter(['--port', '0', `${apps}:throwsLater`]);
        started.push(adapter);
        const address = await adapter.listening;
        await assert.rejects(httpRequest(address));
        assert.deepEqual(await adapter.exited, { code: 1, signal: null });
        assert.match(adapter.stderr(), /uncaught exception, exiting: Error: late boom/);
      });
    }

    it('an abandoned request leaves in-flight and frees its slot', async () => {
      const adapter = startAdapter(
        [
          '--port',
          '0',
          '--backend',
          backend,
          '--threads',
          '1',
          '--thread-concurrency',
          '1',
          `${apps}:slow`,
        ],
        { ipc: true },
      );
      started.push(adapter);
      const address = await adapter.listening;
      await abandon(address, '/?ms=5000', 200);
      const t0 = Date.now();
      const reply = await httpRequest(address, '/?ms=10');
      assert.equal(reply.status, 200);
      // With one thread running one request at a time, this only passes if the abandoned one
      // let go of the thread (threads backend); the node backend never blocks on it.
      assert.ok(Date.now() - t0 < 3000, `waited ${Date.now() - t0} ms\n${adapter.stderr()}`);
      await until(
        () =>
          adapter.messages.some((m) => m.type === 'stats' && m.requests === 2 && m.inFlight === 0),
        4000,
        'stats: 2 requests, none in flight',
      );
    });
  });
}
