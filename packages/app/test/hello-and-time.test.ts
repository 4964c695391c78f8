import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  capacityRps,
  cpuSink,
  cpuStep,
  helloApp,
  helloBody,
  measureServiceTime,
} from '../src/index.js';
import { get, serveOnLoopback } from './serve.js';

describe('helloApp', () => {
  it('answers a fixed small text body', async () => {
    const served = await serveOnLoopback(helloApp);
    try {
      const reply = await get(`${served.url}anything`);
      assert.deepEqual(
        [reply.status, reply.contentType, reply.body],
        [200, 'text/plain', helloBody],
      );
    } finally {
      await served.close();
    }
  });
});

describe('cpuStep', () => {
  it('computes a value that depends on every iteration', () => {
    const a = cpuStep(1000);
    assert.equal(cpuSink(), a);
    const b = cpuStep(1001);
    assert.notEqual(a, b);
  });

  it('takes time in proportion to its iterations (not folded away)', () => {
    const time = (n: number) => {
      const start = performance.now();
      cpuStep(n);
      return performance.now() - start;
    };
    time(1e6);
    const small = Math.min(time(2e5), time(2e5));
    const large = Math.min(time(2e6), time(2e6));
    assert.ok(large > small * 3, `2e6 iterations took ${large} ms, 2e5 took ${small} ms`);
  });
});

describe('measureServiceTime', () => {
  it('splits a request into its steps, and the capacity follows Little’s law', async () => {
    const time = await measureServiceTime({
      samples: 5,
      budgetMs: 100,
      params: { cpuIterations: 10_000, sleepMs: 20, writes: 200, writeMode: 'sync' },
    });
    // libuv timers have 1 ms resolution and may fire up to 1 ms early by performance.now().
    assert.ok(time.sleepMs >= 19, `sleep ${time.sleepMs}`);
    assert.ok(time.cpuMs > 0 && time.writesMs > 0);
    // the sleep is waited, not burnt: the request's CPU time is well under its duration
    assert.ok(time.cpuTimeMs > 0 && time.cpuTimeMs < time.totalMs - 15, JSON.stringify(time));
  });

  it('capacity is the lower of the users bound and the cores bound (worked figures)', () => {
    // 100 ms per request, 10 ms of CPU: 10 users make 100 req/s, 4 cores could do 400
    assert.equal(capacityRps({ totalMs: 100, cpuTimeMs: 10 }, 10, 4), 100);
    // 100 users could make 1000 req/s, but 2 cores at 10 ms a request stop at 200
    assert.equal(capacityRps({ totalMs: 100, cpuTimeMs: 10 }, 100, 2), 200);
    // no CPU measured: only the users bound applies
    assert.equal(capacityRps({ totalMs: 50, cpuTimeMs: 0 }, 5, 1), 100);
  });
});
