import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { LOAD_RESULT_SCHEMA, runLoad } from '../src/index.js';
import { countsAddUp, littleHolds, nearDelay, testOptions } from './fixtures/options.js';
import { httpServer, type TestServer } from './fixtures/servers.js';

describe('statistics against a server that answers after exactly 100 ms', () => {
  let server: TestServer;
  before(async () => {
    server = await httpServer(100);
  });
  after(() => server.close());

  it("at 5 CUs: the median near the server's 100 ms and RPS by Little's law", async () => {
    const result = await runLoad(
      testOptions(server.url, { cycles: [5], durationS: 2, warmupS: 0.3 }),
    );
    const [c] = result.cycles;
    assert.ok(c);
    assert.ok(nearDelay(c.latencyMs.p50, 100), `p50 ${c.latencyMs.p50}`);
    assert.ok(c.latencyMs.min >= 100, `min ${c.latencyMs.min}`);
    assert.ok(littleHolds(c, 5), `rps ${c.rps.successful}, mean ${c.latencyMs.avg} ms`);
    assert.equal(c.requests.failed, 0);
    assert.ok(countsAddUp(c), JSON.stringify(c.requests));
    // Percentiles are ordered, and the timeline covers the window second by second.
    const l = c.latencyMs;
    assert.ok(l.min <= l.p10 && l.p10 <= l.p50 && l.p50 <= l.p90 && l.p90 <= l.p95);
    assert.ok(l.p95 <= l.p99 && l.p99 <= l.max);
    assert.equal(c.timeline.length, 2);
    const timelineTotal = c.timeline.reduce((n, s) => n + s.requests, 0);
    assert.equal(timelineTotal, c.requests.succeeded + c.requests.failed);
    for (const s of c.timeline) assert.ok(nearDelay(s.p50Ms, 100), `second's p50 ${s.p50Ms}`);
    assert.ok(c.bytesPerS > 0);
    assert.equal(c.driverSaturated, false);
  });
});

describe('failures by status', () => {
  let server: TestServer;
  before(async () => {
    server = await httpServer(0, (n) =>
      n % 3 === 0 ? { status: 500, body: 'no' } : { status: 200, body: 'ok' },
    );
  });
  after(() => server.close());

  it('counts every third request as a 500, exactly, with one user', async () => {
    const before = server.stats.requests;
    const result = await runLoad(testOptions(server.url, { cycles: [1], durationS: 1 }));
    const c = result.cycles[0]!;
    const done = c.requests.succeeded + c.requests.failed;
    assert.ok(done > 50, `only ${done} requests`);
    // One user: the window saw `done` consecutive answers of the server, every third a 500.
    // Which answer the window opened on depends on the schedule (an answer may fall just
    // before it), so the count is a third of `done` rounded either way, and every 500 is in it.
    const fives = c.failures.status['500'] ?? 0;
    assert.deepEqual(Object.keys(c.failures.status), ['500']);
    assert.ok(Math.abs(fives - done / 3) < 1, `${fives} of ${done} (server from #${before + 1})`);
    assert.equal(c.failures.total, fives);
    assert.ok(countsAddUp(c));
  });

  it('with several users, 500s are a third of completions, within what was in flight', async () => {
    const result = await runLoad(testOptions(server.url, { cycles: [4], durationS: 1 }));
    const c = result.cycles[0]!;
    const done = c.requests.succeeded + c.requests.failed;
    const n500 = c.failures.status['500'] ?? 0;
    assert.ok(Math.abs(n500 - done / 3) <= c.inFlightAtEnd + 4, `${n500} of ${done}`);
    assert.equal(Object.keys(c.failures.status).length, 1);
    assert.ok(countsAddUp(c));
  });
});

describe('--threads 2 against a deterministic server', () => {
  let server: TestServer;
  before(async () => {
    // 50 ms: long beside the scheduling delays of a busy 2-core host.
    server = await httpServer(50);
  });
  after(() => server.close());

  it('two threads keep the users as busy and merge percentiles as one thread does', async () => {
    const options = testOptions(server.url, { cycles: [6], durationS: 1.5, warmupS: 0.2 });
    const one = (await runLoad(options)).cycles[0]!;
    const two = (await runLoad({ ...options, threads: 2 })).cycles[0]!;
    assert.equal(two.driverCpu.threads, 2);
    // Runs one after the other on a shared host differ in speed; what must not differ is that
    // each keeps its 6 users busy (Little's law) and measures the server's 50 ms in its body.
    for (const c of [one, two]) {
      const what = `${c.driverCpu.threads} thread(s): ${c.requests.succeeded} ok, ${JSON.stringify(c.latencyMs)}`;
      assert.ok(littleHolds(c, 6), what);
      assert.ok(nearDelay(c.latencyMs.p10, 50) && nearDelay(c.latencyMs.p50, 50), what);
    }
    // the merged tail of two threads is of the same order as one thread's
    const p90 = two.latencyMs.p90 / one.latencyMs.p90;
    assert.ok(p90 > 0.5 && p90 < 2, `p90 ${one.latencyMs.p90} vs ${two.latencyMs.p90}`);
    assert.ok(countsAddUp(one) && countsAddUp(two));
    assert.equal(two.timeline.length, 2);
  });
});

describe('the result document', () => {
  let server: TestServer;
  before(async () => {
    server = await httpServer(0);
  });
  after(() => server.close());

  it('carries schema, driver, host, target, options, times, and host CPU', async () => {
    const options = testOptions(server.url, { cycles: [1], durationS: 0.5 });
    const result = await runLoad(options);
    assert.equal(result.schema, LOAD_RESULT_SCHEMA);
    assert.equal(result.driver.name, '@stackbench/loadgen');
    assert.match(result.driver.version, /^\d+\.\d+\.\d+/);
    assert.equal(result.driver.node, process.version);
    assert.ok(result.host.cpus >= 1 && result.host.hostname.length > 0);
    assert.equal(result.target, server.url);
    // The options as given, with the engine that ran them (default native).
    assert.deepEqual(result.options, { ...options, engine: 'native' });
    assert.equal(result.driver.engine, 'native');
    assert.equal(result.driver.engineClient, 'net+http-parser-js');
    assert.ok(Date.parse(result.startedAt) <= Date.parse(result.endedAt));
    const c = result.cycles[0]!;
    assert.ok(c.hostCpuBusyPercent > 0 && c.hostCpuBusyPercent <= 100, `${c.hostCpuBusyPercent}`);
    assert.ok(c.driverCpu.percent > 0);
    // The document survives JSON unchanged (the orchestrator embeds it as is).
    assert.deepEqual(JSON.parse(JSON.stringify(result)), result);
  });
});
