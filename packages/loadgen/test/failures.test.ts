import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { PreflightError, preflight, runLoad } from '../src/index.js';
import { countsAddUp, testOptions } from './fixtures/options.js';
import { closedPort, httpServer, rawServer, type TestServer } from './fixtures/servers.js';

const servers: TestServer[] = [];
after(() => Promise.all(servers.map((s) => s.close())));
async function track(server: Promise<TestServer>): Promise<TestServer> {
  const s = await server;
  servers.push(s);
  return s;
}

/** Failure kinds other than the one named, which must all be zero. */
function othersZero(f: Record<string, unknown>, kind: string): void {
  for (const k of [
    'connectRefused',
    'connectionReset',
    'connectionClosed',
    'timeout',
    'bodyMismatch',
  ]) {
    if (k !== kind) assert.equal(f[k], 0, `${k} should be 0`);
  }
  if (kind !== 'status') assert.deepEqual(f.status, {});
  assert.deepEqual(f.other, {});
}

describe('failures by kind, counted, and the counts add up', () => {
  it('a server that resets every other request: connectionReset', async () => {
    const server = await track(rawServer((n) => (n % 2 === 0 ? 'reset' : 'ok')));
    const c = (await runLoad(testOptions(server.url, { cycles: [3] }))).cycles[0]!;
    assert.ok(c.failures.connectionReset > 10, JSON.stringify(c.failures));
    othersZero(c.failures as unknown as Record<string, unknown>, 'connectionReset');
    // Every reset cost a request that the server had read: resets = half the server's requests.
    assert.ok(Math.abs(c.failures.connectionReset - c.requests.succeeded) <= c.users + 2);
    assert.ok(countsAddUp(c));
  });

  it('a server that closes every third connection without answering: connectionClosed', async () => {
    const server = await track(rawServer((n) => (n % 3 === 0 ? 'close' : 'ok')));
    const c = (await runLoad(testOptions(server.url, { cycles: [2] }))).cycles[0]!;
    assert.ok(c.failures.connectionClosed > 10, JSON.stringify(c.failures));
    othersZero(c.failures as unknown as Record<string, unknown>, 'connectionClosed');
    const done = c.requests.succeeded + c.requests.failed;
    assert.ok(Math.abs(c.failures.connectionClosed - done / 3) <= c.users + 2);
    assert.ok(countsAddUp(c));
  });

  it('a server that never answers: one timeout per user per timeout period', async () => {
    const server = await track(rawServer(() => 'hang'));
    const c = (
      await runLoad(testOptions(server.url, { cycles: [2], durationS: 1.2, timeoutS: 0.25 }))
    ).cycles[0]!;
    // 2 users x 1.2 s / 0.25 s = 9.6: 8 to 10 finish inside the window, the rest are in flight.
    assert.ok(c.failures.timeout >= 7 && c.failures.timeout <= 10, JSON.stringify(c.failures));
    othersZero(c.failures as unknown as Record<string, unknown>, 'timeout');
    assert.equal(c.requests.succeeded, 0);
    assert.equal(c.inFlightAtEnd, 2);
    assert.ok(countsAddUp(c));
  });

  it('a closed port: connectRefused, no crash', async () => {
    const url = `http://127.0.0.1:${await closedPort()}/`;
    const c = (await runLoad(testOptions(url, { cycles: [2], durationS: 0.5 }))).cycles[0]!;
    assert.ok(c.failures.connectRefused > 10, JSON.stringify(c.failures));
    othersZero(c.failures as unknown as Record<string, unknown>, 'connectRefused');
    assert.ok(countsAddUp(c));
    await assert.rejects(preflight(testOptions(url)), (error: unknown) => {
      assert.ok(error instanceof PreflightError);
      assert.equal(error.code, 'LOADGEN_PREFLIGHT');
      assert.equal(error.exitCode, 2);
      assert.match(error.message, /connection refused/);
      return true;
    });
  });

  it('a body that does not match --expect-body: bodyMismatch', async () => {
    const server = await track(
      httpServer(0, (n) => ({ status: 200, body: n % 2 ? 'hello' : 'oops' })),
    );
    const c = (await runLoad(testOptions(server.url, { cycles: [1], expectBody: '^hel+o$' })))
      .cycles[0]!;
    assert.ok(c.failures.bodyMismatch > 10);
    assert.ok(Math.abs(c.failures.bodyMismatch - c.requests.succeeded) <= 1);
    othersZero(c.failures as unknown as Record<string, unknown>, 'bodyMismatch');
    assert.ok(countsAddUp(c));
  });
});

describe('preflight', () => {
  it('shows the status and body that came back when the success rule fails', async () => {
    const server = await track(httpServer(0, () => ({ status: 404, body: 'no such page' })));
    await assert.rejects(
      preflight(testOptions(server.url)),
      /status 404 \(expected 200\), body "no such page"/,
    );
    await preflight(testOptions(server.url, { expectStatus: 404 }));
    await assert.rejects(
      preflight(testOptions(server.url, { expectStatus: 404, expectBody: 'page$x' })),
      /does not match \/page\$x\/: "no such page"/,
    );
  });

  it('reports a timeout when the target never answers', async () => {
    const server = await track(rawServer(() => 'hang'));
    await assert.rejects(
      preflight(testOptions(server.url, { timeoutS: 0.2 })),
      /no complete response within 0.2 s/,
    );
  });
});
