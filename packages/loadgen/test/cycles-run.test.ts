import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import { after, before, describe, it } from 'node:test';
import { type CycleProgress, runLoad } from '../src/index.js';
import { countsAddUp, littleHolds, nearDelay, testOptions } from './fixtures/options.js';
import { httpServer, settled, type TestServer } from './fixtures/servers.js';

describe('bench cycles', () => {
  let server: TestServer;
  before(async () => {
    server = await httpServer(50);
  });
  after(() => server.close());

  it('run in order with the requested durations and pauses', async () => {
    const seenUsers: number[] = [];
    const ends: number[] = [];
    const t0 = performance.now();
    const result = await runLoad(
      testOptions(server.url, { cycles: [3, 1, 4], durationS: 1, cyclePauseS: 0.3 }),
      {
        onCycle: () => {
          ends.push(performance.now());
          // The server saw exactly this many users at once during the cycle; the next cycle's
          // connections are a new epoch, so requests of this one that reach the server late (on
          // a loaded host: CI's two lanes once showed 3 users in the 1-user cycle) are not
          // counted as its users.
          seenUsers.push(server.stats.maxInFlight);
          server.stats.maxInFlight = 0;
          server.stats.epoch++;
        },
      },
    );
    assert.deepEqual(
      result.cycles.map((c) => c.users),
      [3, 1, 4],
    );
    assert.deepEqual(seenUsers, [3, 1, 4]);
    for (const c of result.cycles) {
      // the measured span: never short of the 1 s asked for (timers may fire a hair early), and
      // late only as far as a loaded host delays the timer that closes it (CI's two lanes side
      // by side once made it 1.089 s); the figures are per that span, so they stay right
      assert.ok(c.durationS >= 0.99 && c.durationS < 2.5, `durationS ${c.durationS}`);
      assert.ok(
        c.timeline.length >= 1 && c.timeline.length <= Math.ceil(c.durationS),
        `timeline of ${c.timeline.length} seconds`,
      );
      assert.ok(countsAddUp(c));
      assert.ok(nearDelay(c.latencyMs.p50, 50), `p50 ${c.latencyMs.p50}`);
      // Closed loop without warm-up: Little's law with the cycle's users.
      assert.ok(littleHolds(c, c.users), `rps ${c.rps.successful}, mean ${c.latencyMs.avg} ms`);
    }
    // Cycle k ends after k+1 durations and k pauses, plus scheduling per cycle: never before,
    // and the overhead bounded generously (a host 5 times slower than this one still passes).
    ends.forEach((end, k) => {
      const expected = (k + 1) * 1000 + k * 300;
      assert.ok(
        end - t0 >= expected && end - t0 < expected + (k + 1) * 1500,
        `cycle ${k} ended at ${end - t0}`,
      );
    });
    assert.equal(result.complete, true);
    assert.equal(result.schema, 'stackbench.load/3');
  });

  it('ramps users up one --startup-delay apart, and does not count the warm-up', async () => {
    // a server of its own: a request another test abandoned can reach a shared one late and
    // count as a fifth user at once
    const own = await httpServer(50);
    const t0 = performance.now();
    const result = await runLoad(
      testOptions(own.url, { cycles: [4], durationS: 1, startupDelayS: 0.2, warmupS: 0.3 }),
    ).finally(() => own.close());
    const elapsed = performance.now() - t0;
    // 3 delays of 0.2 s + 0.3 s warm-up + 1 s measured: never sooner; later only by overhead.
    assert.ok(elapsed >= 1900 && elapsed < 1900 * 3, `elapsed ${elapsed}`);
    const c = result.cycles[0]!;
    // All 4 users were running for the whole window: Little's law with 4, not the ramp's average.
    assert.ok(littleHolds(c, 4), `rps ${c.rps.successful}, mean ${c.latencyMs.avg} ms`);
    assert.ok(c.requests.carriedIn >= 1 && c.requests.carriedIn <= 4);
    assert.ok(countsAddUp(c));
    assert.equal(own.stats.maxInFlight, 4);
  });

  it('think time: each user waits --sleep-time between a response and its next request', async () => {
    const c = (
      await runLoad(testOptions(server.url, { cycles: [2], durationS: 1.5, sleepTimeS: 0.1 }))
    ).cycles[0]!;
    // 2 users / (latency + 0.1 s): 13.3 RPS here; the think time is in Little's law.
    assert.ok(littleHolds(c, 2, 100), `rps ${c.rps.successful}, mean ${c.latencyMs.avg} ms`);
    assert.ok(!littleHolds(c, 2), 'without the think time the law does not hold');
    assert.ok(nearDelay(c.latencyMs.p50, 50), `p50 ${c.latencyMs.p50}`);
  });

  it('--connection close opens one connection per request, keep-alive one per user', async () => {
    const closeBefore = server.stats.connections;
    const closed = (await runLoad(testOptions(server.url, { cycles: [2], connection: 'close' })))
      .cycles[0]!;
    const closeConnections = server.stats.connections - closeBefore;
    // One per request answered; those abandoned at the end may not have been accepted yet.
    const r = closed.requests;
    assert.ok(
      closeConnections >= r.succeeded && closeConnections <= r.sent,
      `${closeConnections} for ${r.sent}`,
    );
    assert.equal(closed.failures.total, 0);
    // the close run's last connections may still be arriving
    const keepBefore = await settled(() => server.stats.connections);
    const kept = (await runLoad(testOptions(server.url, { cycles: [2] }))).cycles[0]!;
    assert.equal(server.stats.connections - keepBefore, 2);
    assert.equal(kept.failures.total, 0);
  });

  it('reports progress about once a second: phase, elapsed/remaining, current RPS', async () => {
    const seen: CycleProgress[] = [];
    await runLoad(testOptions(server.url, { cycles: [2], durationS: 1, warmupS: 1.2 }), {
      onProgress: (p) => seen.push(p),
    });
    assert.ok(seen.length >= 2 && seen.length <= 3, `${seen.length} progress reports`);
    assert.equal(seen[0]!.phase, 'warm-up');
    assert.equal(seen.at(-1)!.phase, 'measure');
    // A closed loop cannot beat users / latency (2 / 50 ms); a slow host may give less.
    assert.ok(seen[0]!.currentRps > 0 && seen[0]!.currentRps <= 42, `rps ${seen[0]!.currentRps}`);
    assert.ok(seen[0]!.remainingS > 0 && seen[0]!.remainingS < 0.3);
  });

  it('an aborted signal stops the load and resolves with the cycles done, complete: false', async () => {
    const controller = new AbortController();
    let abortedAt = 0;
    // abort once the first cycle is in: the signal is the cycle's result, not a clock
    const result = await runLoad(
      testOptions(server.url, { cycles: [2, 2, 2], durationS: 1, cyclePauseS: 0.5 }),
      {
        signal: controller.signal,
        onCycle: () => {
          if (abortedAt === 0) {
            abortedAt = performance.now();
            controller.abort();
          }
        },
      },
    );
    const afterAbort = performance.now() - abortedAt;
    assert.equal(result.complete, false);
    assert.equal(result.cycles.length, 1);
    // one more cycle would take its 1 s window at least: stopping is far quicker than that
    assert.ok(afterAbort < 1000, `stopped ${afterAbort} ms after the abort`);
  });
});
