/**
 * The autocannon engine: same recorder and result as the native engine, checked against
 * servers whose behaviour the tests control; and its documented pitfall, measured.
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import {
  EngineUnsupportedError,
  LoadOptionError,
  type LoadOptions,
  runLoad,
  validateLoadOptions,
} from '../src/index.js';
import {
  autocannonCountsAddUp,
  countsAddUp,
  littleHolds,
  nearDelay,
  testOptions,
} from './fixtures/options.js';
import { closedPort, httpServer, rawServer, settled, type TestServer } from './fixtures/servers.js';

const servers: TestServer[] = [];
after(() => Promise.all(servers.map((s) => s.close())));
async function track(server: Promise<TestServer>): Promise<TestServer> {
  const s = await server;
  servers.push(s);
  return s;
}
const ac = (url: string, o: Partial<LoadOptions> = {}) =>
  testOptions(url, { engine: 'autocannon', ...o });

describe('autocannon engine', () => {
  it('agrees with the native engine against a 100 ms server (median, Little), also on 2 threads', async () => {
    const server = await track(httpServer(100));
    const run = async (o: Partial<LoadOptions>) =>
      runLoad(testOptions(server.url, { cycles: [5], durationS: 1.2, warmupS: 0.2, ...o }));
    const native = await run({});
    const one = await run({ engine: 'autocannon' });
    const two = await run({ engine: 'autocannon', threads: 2 });
    assert.equal(native.driver.engine, 'native');
    assert.equal(one.driver.engine, 'autocannon');
    assert.match(one.driver.engineClient ?? '', /^autocannon@9\./);
    assert.equal(one.options.engine, 'autocannon');
    const nativeP50 = native.cycles[0]!.latencyMs.p50;
    for (const result of [one, two]) {
      const c = result.cycles[0]!;
      const what = JSON.stringify({ requests: c.requests, latency: c.latencyMs, rps: c.rps });
      assert.ok(nearDelay(c.latencyMs.p50, 100), what);
      // the same median as the native engine, as a ratio (the runs follow each other)
      const vsNative = c.latencyMs.p50 / nativeP50;
      assert.ok(vsNative > 0.9 && vsNative < 1.25, `${what} vs native ${nativeP50}`);
      assert.ok(littleHolds(c, 5), what);
      assert.equal(c.requests.failed, 0);
      assert.ok(autocannonCountsAddUp(c), what);
      // A well-behaved server: nothing lost, every latency from its own request.
      assert.deepEqual(c.autocannon, { inFlightAtEnd: 5, lost: 0, staleLatencies: 0 });
      assert.equal(
        c.timeline.reduce((n, s) => n + s.requests, 0),
        c.requests.succeeded,
      );
    }
    assert.equal(two.cycles[0]!.driverCpu.threads, 2);
    assert.equal(native.cycles[0]!.autocannon, undefined);
  });

  it('counts failures by status and body exactly, with one user', async () => {
    const server = await track(
      httpServer(0, (n) =>
        n % 3 === 0
          ? { status: 500, body: 'no' }
          : n % 5 === 0
            ? { status: 200, body: 'nope' }
            : { status: 200, body: 'ok' },
      ),
    );
    const before = server.stats.requests;
    const c = (await runLoad(ac(server.url, { cycles: [1], durationS: 0.5, expectBody: '^ok$' })))
      .cycles[0]!;
    const done = c.requests.succeeded + c.requests.failed;
    assert.ok(done > 20, `only ${done} requests`);
    let status500 = 0;
    let mismatches = 0;
    for (let n = before + 1; n <= before + done; n++) {
      if (n % 3 === 0) status500++;
      else if (n % 5 === 0) mismatches++;
    }
    assert.deepEqual(c.failures.status, { '500': status500 });
    assert.equal(c.failures.bodyMismatch, mismatches);
    assert.equal(c.failures.total, status500 + mismatches);
    assert.ok(autocannonCountsAddUp(c));
  });

  it('a closed port: connectRefused, and a silent server: timeout', async () => {
    const port = await closedPort();
    const refused = (await runLoad(ac(`http://127.0.0.1:${port}/`, { durationS: 0.3 }))).cycles[0]!;
    assert.ok(refused.failures.connectRefused > 5, JSON.stringify(refused.failures));
    assert.equal(refused.failures.total, refused.failures.connectRefused);
    assert.ok(autocannonCountsAddUp(refused));

    const silent = await track(rawServer(() => 'hang'));
    const c = (await runLoad(ac(silent.url, { cycles: [2], durationS: 1.3, timeoutS: 1 })))
      .cycles[0]!;
    // Each user's first request times out after 1 s; its second is in flight at the end.
    assert.deepEqual(
      { timeout: c.failures.timeout, total: c.failures.total, inFlight: c.requests.inFlightAtEnd },
      { timeout: 2, total: 2, inFlight: 2 },
    );
    assert.ok(autocannonCountsAddUp(c));
  });

  it('refuses what it cannot honour exactly, naming the engine that can', () => {
    const refused: [Partial<LoadOptions>, string][] = [
      [{ sleepTimeS: 0.1 }, 'sleep-time'],
      [{ connection: 'close' }, 'connection'],
      [{ startupDelayS: 0.1 }, 'startup-delay'],
      [{ timeoutS: 0.5 }, 'timeout'],
    ];
    for (const [override, option] of refused) {
      assert.throws(
        () => validateLoadOptions(ac('http://127.0.0.1:8080/', override)),
        (error: unknown) =>
          error instanceof EngineUnsupportedError &&
          error.code === 'LOADGEN_ENGINE_UNSUPPORTED' &&
          error.option === option &&
          error.message.startsWith(`--${option} `) &&
          error.message.includes('not supported by the autocannon engine') &&
          error.message.includes('use --engine native'),
      );
      // The same options are fine with the native engine.
      validateLoadOptions(testOptions('http://127.0.0.1:8080/', override));
    }
    assert.throws(
      () => validateLoadOptions(ac('http://127.0.0.1:8080/', { engine: 'wrk' as 'native' })),
      (error: unknown) =>
        error instanceof LoadOptionError &&
        error.message === 'engine: "wrk" is not an engine; expected one of native, autocannon',
    );
  });

  it('the pitfall: a server closing every 3rd connection loses requests silently', async () => {
    const run = async (engine: LoadOptions['engine']) => {
      const server = await track(rawServer((n) => (n % 3 === 0 ? 'close' : 'ok')));
      const c = (await runLoad(testOptions(server.url, { cycles: [2], durationS: 0.6, engine })))
        .cycles[0]!;
      return { c, seen: await settled(() => server.stats.requests) };
    };
    const native = await run('native');
    const auto = await run('autocannon');
    const info = JSON.stringify({
      native: native.c.requests,
      auto: auto.c.requests,
      ac: auto.c.autocannon,
    });
    for (const { c, seen } of [native, auto]) {
      // Both sent what the server saw, give or take the requests around the window's end: one in
      // flight per user, and the few a user sends against a fast server before it sees the stop.
      assert.ok(Math.abs(c.requests.sent - seen) <= 5 * c.users, `${info} seen ${seen}`);
      assert.ok(seen > 60, info);
      assert.ok(c.autocannon ? autocannonCountsAddUp(c) : countsAddUp(c), info);
    }
    // Native: every close is a connectionClosed failure, a third of the completions.
    const nativeDone = native.c.requests.succeeded + native.c.requests.failed;
    assert.ok(Math.abs(native.c.failures.connectionClosed - nativeDone / 3) <= 4, info);
    assert.equal(native.c.requests.inFlightAtEnd, 2);
    // autocannon: no error at all for the closes; the closed requests are lost (a third of
    // what the server saw), and most later latencies are timed from an earlier request.
    const a = auto.c;
    assert.equal(a.failures.total, 0, info);
    assert.ok(Math.abs(a.autocannon!.lost - auto.seen / 3) <= 4, info);
    assert.ok(a.autocannon!.staleLatencies > a.requests.succeeded / 2, info);
    assert.ok(
      a.latencyMs.p50 > 10 * native.c.latencyMs.p50,
      `autocannon p50 ${a.latencyMs.p50} vs native ${native.c.latencyMs.p50}`,
    );
  });
});
