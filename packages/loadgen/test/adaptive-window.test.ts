/**
 * The adaptive window (closed loop, `adaptive`; the rule itself: window-sizing.test.ts): real
 * cycles against servers on 127.0.0.1 whose latency the test sets (a timer, not CPU work), so
 * the response time the driver sees is known: what sized each window, that it ran as planned,
 * that the books still balance, and that two threads share one window.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { Piscina } from 'piscina';
import { runCycle } from '../src/cycle-runner.js';
import {
  type AdaptiveWindowOptions,
  type CycleProgress,
  type CycleResult,
  LOAD_RESULT_SCHEMA,
  LoadOptionError,
  type LoadOptions,
  type LoadResult,
  runLoad,
  validateLoadOptions,
} from '../src/index.js';
import type { ShardResult, ShardSpec } from '../src/shard-types.js';
import { buildTarget } from '../src/target.js';
import { countsAddUp, littleHolds, openLoopOptions, testOptions } from './fixtures/options.js';
import { httpServer, slowingServer, type TestServer } from './fixtures/servers.js';

const DELAY_MS = 40;
const USERS = 4;

const adaptive = (over: Partial<AdaptiveWindowOptions> = {}): AdaptiveWindowOptions => ({
  responsesPerUser: 20,
  minRequests: 50,
  maxDurationS: 5,
  maxWarmupS: 5,
  ...over,
});

/** The cycle ran the window it planned: never shorter, longer only by timer lateness. */
function ranAsPlanned(c: CycleResult): void {
  const w = c.window!;
  assert.ok(
    c.durationS >= w.plannedS - 0.002 && c.durationS < w.plannedS + 0.25,
    `durationS ${c.durationS}, planned ${w.plannedS}`,
  );
  assert.equal(c.timeline.length, Math.ceil(w.plannedS));
  assert.ok(countsAddUp(c), JSON.stringify(c.requests));
}

describe('adaptive window against a 40 ms server', () => {
  let server: TestServer;
  before(async () => {
    server = await httpServer(DELAY_MS);
  });
  after(() => server.close());

  it('warms up until steady, then measures 20 response times per user', async () => {
    const options = testOptions(server.url, {
      cycles: [USERS],
      durationS: 0.2,
      warmupS: 0.3,
      adaptive: adaptive(),
    });
    const result = await runLoad(options);
    assert.equal(result.schema, LOAD_RESULT_SCHEMA);
    assert.deepEqual((result.options as LoadOptions).adaptive, adaptive());
    const c = result.cycles[0]!;
    const w = c.window!;
    assert.equal(w.steady, true);
    assert.equal(w.sizedBy, 'responses');
    assert.ok(w.responseTimeMs >= 35 && w.responseTimeMs <= 80, `R ${w.responseTimeMs} ms`);
    assert.ok(Math.abs(w.plannedS - (20 * w.responseTimeMs) / 1000) <= 0.002, `${w.plannedS}`);
    // at least the minimum, and two blocks of at least 0.2 s each
    assert.ok(w.warmupS >= 0.4 && w.warmupS <= 5, `warm-up ${w.warmupS} s`);
    // Little's law again, from the warm-up's own figures
    assert.ok(Math.abs((w.warmupRps * w.responseTimeMs) / 1000 - USERS) < 0.01);
    ranAsPlanned(c);
    assert.ok(littleHolds(c, USERS), `rps ${c.rps.successful}, mean ${c.latencyMs.avg} ms`);
  });

  it('minRequests decides when it asks for more; progress follows the window', async () => {
    const seen: CycleProgress[] = [];
    const c = (
      await runLoad(
        testOptions(server.url, {
          cycles: [USERS],
          durationS: 0.2,
          adaptive: adaptive({ minRequests: 200 }),
        }),
        { onProgress: (p) => seen.push(p) },
      )
    ).cycles[0]!;
    const w = c.window!;
    assert.equal(w.sizedBy, 'requests');
    assert.ok(Math.abs(w.plannedS - 200 / w.warmupRps) <= 0.003, `${w.plannedS}`);
    ranAsPlanned(c);
    assert.ok(c.requests.succeeded >= 150, `${c.requests.succeeded} requests`);
    // warm-up reports (bounded by maxWarmupS), then measure reports (by the planned window); a
    // warm-up shorter than the 1 s between reports shows none
    assert.ok(seen.length > 0);
    const firstMeasure = seen.findIndex((p) => p.phase === 'measure');
    for (const [i, p] of seen.entries()) {
      if (firstMeasure >= 0 && i >= firstMeasure) {
        assert.equal(p.phase, 'measure');
        assert.ok(p.remainingS <= w.plannedS, `${p.remainingS} s left of ${w.plannedS}`);
      } else {
        assert.equal(p.phase, 'warm-up');
        assert.ok(p.elapsedS + p.remainingS <= 5.01);
      }
    }
  });

  it('maxDurationS caps the window; durationS is its minimum', async () => {
    const capped = (
      await runLoad(
        testOptions(server.url, {
          cycles: [USERS],
          durationS: 0.2,
          adaptive: adaptive({ responsesPerUser: 100, maxDurationS: 0.5 }),
        }),
      )
    ).cycles[0]!;
    assert.equal(capped.window!.sizedBy, 'maximum');
    assert.equal(capped.window!.plannedS, 0.5);
    ranAsPlanned(capped);
    const least = (
      await runLoad(
        testOptions(server.url, {
          cycles: [USERS],
          durationS: 0.6,
          adaptive: adaptive({ responsesPerUser: 2, minRequests: 10 }),
        }),
      )
    ).cycles[0]!;
    assert.equal(least.window!.sizedBy, 'minimum');
    assert.equal(least.window!.plannedS, 0.6);
    ranAsPlanned(least);
  });

  it('a warm-up too short for two blocks ends at maxWarmupS, not steady', async () => {
    const c = (
      await runLoad(
        testOptions(server.url, {
          cycles: [USERS],
          durationS: 0.2,
          adaptive: adaptive({ maxWarmupS: 0.1, maxDurationS: 0.4 }),
        }),
      )
    ).cycles[0]!;
    const w = c.window!;
    assert.equal(w.steady, false);
    assert.ok(w.warmupS >= 0.1 && w.warmupS < 0.5, `warm-up ${w.warmupS} s`);
    ranAsPlanned(c);
  });

  it('with 2 threads both shards measure the one published window', async () => {
    const options = testOptions(server.url, {
      cycles: [USERS],
      threads: 2,
      durationS: 0.2,
      adaptive: adaptive(),
    });
    const pool = new Piscina({
      filename: new URL('../src/shard-worker.js', import.meta.url).href,
      minThreads: 2,
      maxThreads: 2,
      concurrentTasksPerWorker: 1,
      idleTimeout: Number.POSITIVE_INFINITY,
    });
    const shards: ShardResult[] = [];
    // the real pool, with each shard's own result kept aside
    const spy = {
      run: (spec: ShardSpec) =>
        (pool.run(spec) as Promise<ShardResult>).then((r) => {
          shards.push(r);
          return r;
        }),
    } as unknown as Piscina;
    try {
      const c = (await runCycle(
        {
          options,
          engine: 'native',
          target: buildTarget(options),
          pool: spy,
          signal: undefined,
          onProgress: undefined,
        },
        0,
        USERS,
      ))!;
      assert.equal(shards.length, 2);
      const [a, b] = shards as [ShardResult, ShardResult];
      // one published start (a thread that saw it late would open later); ends by each timer
      assert.ok(Math.abs(a.measureStartMs - b.measureStartMs) < 10, `${a.measureStartMs}`);
      assert.ok(Math.abs(a.windowEndMs - b.windowEndMs) < 100, `${a.windowEndMs}`);
      assert.equal(c.window!.steady, true);
      assert.equal(c.window!.sizedBy, 'responses');
      ranAsPlanned(c);
      for (const s of shards) {
        assert.equal(s.carriedIn + s.sentInWindow, s.succeeded + s.failed + s.inFlightAtEnd);
        assert.equal(s.timeline.length, Math.ceil(c.window!.plannedS));
      }
      assert.ok(littleHolds(c, USERS), `rps ${c.rps.successful}, mean ${c.latencyMs.avg} ms`);
    } finally {
      await pool.destroy();
    }
  });
});

describe('adaptive window against a server that slows down with every request', () => {
  let server: TestServer;
  before(async () => {
    // 20 ms slower per request: the throughput keeps falling, and its blocks (25 completions at
    // a falling rate) outgrow the warm-up's bound
    server = await slowingServer(10, 20);
  });
  after(() => server.close());

  it('never becomes steady: the warm-up runs to maxWarmupS', async () => {
    const c = (
      await runLoad(
        testOptions(server.url, {
          cycles: [USERS],
          durationS: 0.2,
          adaptive: adaptive({ responsesPerUser: 5, maxWarmupS: 1.5, maxDurationS: 0.5 }),
        }),
      )
    ).cycles[0]!;
    const w = c.window!;
    assert.equal(w.steady, false);
    assert.ok(w.warmupS >= 1.5 && w.warmupS < 2, `warm-up ${w.warmupS} s`);
    assert.ok(w.responseTimeMs > 40, `R ${w.responseTimeMs} ms`);
    ranAsPlanned(c);
  });

  it('an abort during the warm-up stops the cycle at once', async () => {
    const controller = new AbortController();
    const t0 = performance.now();
    // the warm-up alone would run 5 s: abort once some load is in
    const timer = setTimeout(() => controller.abort(), 300);
    const result = await runLoad(
      testOptions(server.url, {
        cycles: [USERS],
        durationS: 0.2,
        adaptive: adaptive({ maxWarmupS: 5, maxDurationS: 1 }),
      }),
      { signal: controller.signal },
    );
    clearTimeout(timer);
    assert.equal(result.complete, false);
    assert.equal(result.cycles.length, 0);
    assert.ok(performance.now() - t0 < 3000, `stopped after ${performance.now() - t0} ms`);
  });
});

describe('adaptive window: fixed windows unchanged, bad values refused', () => {
  it('a fixed window has no window record', async () => {
    const server = await httpServer(5);
    try {
      const c = (await runLoad(testOptions(server.url, { durationS: 0.3 }))).cycles[0]!;
      assert.equal(c.window, undefined);
      assert.equal(c.timeline.length, 1);
    } finally {
      await server.close();
    }
  });

  const url = 'http://127.0.0.1:8080/';
  const bad: [Partial<AdaptiveWindowOptions>, Partial<LoadOptions>, RegExp][] = [
    [{ responsesPerUser: 0 }, {}, /^responses-per-user: 0 is not valid; expected a number > 0/],
    [{ responsesPerUser: Number.NaN }, {}, /^responses-per-user: NaN/],
    [{ minRequests: -1 }, {}, /^min-requests: -1 is not valid; expected a whole number in 0\.\./],
    [{ minRequests: 2.5 }, {}, /^min-requests: 2.5/],
    [{ maxDurationS: 0 }, {}, /^max-duration: 0 is not valid/],
    [{ maxDurationS: 1 }, { durationS: 2 }, /^max-duration: 1 is below --duration 2/],
    [{ maxWarmupS: 0 }, {}, /^max-warmup: 0 is not valid; expected a number of seconds > 0/],
    [{ maxWarmupS: 1 }, { warmupS: 3 }, /^max-warmup: 1 is below --warmup 3/],
  ];
  for (const [over, options, message] of bad) {
    it(`rejects adaptive ${JSON.stringify(over)} with ${JSON.stringify(options)}`, () => {
      assert.throws(
        () => validateLoadOptions(testOptions(url, { ...options, adaptive: adaptive(over) })),
        (error: unknown) => error instanceof LoadOptionError && message.test(error.message),
      );
    });
  }

  it('rejects adaptive in an open loop', () => {
    assert.throws(
      () =>
        validateLoadOptions({
          ...openLoopOptions(url),
          adaptive: adaptive(),
        } as unknown as LoadOptions),
      (error: unknown) =>
        error instanceof LoadOptionError &&
        /^responses-per-user: an open-loop run \(rates\) cannot have an adaptive window/.test(
          error.message,
        ),
    );
  });
});

describe('stackbench-load --responses-per-user', () => {
  const bin = join(fileURLToPath(new URL('../../', import.meta.url)), 'bin/stackbench-load.js');
  const children = new Set<ChildProcess>();
  after(() => {
    for (const child of children) {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  });
  const run = (args: string[]) =>
    new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, [bin, ...args], {
        detached: true,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      children.add(child);
      let stdout = '';
      let stderr = '';
      child.stdout!.on('data', (c) => (stdout += c));
      child.stderr!.on('data', (c) => (stderr += c));
      child.on('close', (code) => {
        children.delete(child);
        resolve({ code, stdout, stderr });
      });
    });

  it('refuses it with --rate, and its bounds without it (exit 2)', async () => {
    const url = 'http://127.0.0.1:9/';
    const rate = await run(['--rate', '100', '--responses-per-user', '5', url]);
    assert.equal(rate.code, 2);
    assert.match(rate.stderr, /responses-per-user: an open-loop run \(rates\) cannot have/);
    const stray = await run(['--max-warmup', '5', url]);
    assert.equal(stray.code, 2);
    assert.match(stray.stderr, /max-warmup: 5: applies to an adaptive window only/);
  });

  it('runs an adaptive cycle and echoes the option, defaults filled in', async () => {
    const server = await httpServer(DELAY_MS);
    try {
      const out = await run([
        '--cycles',
        '2',
        '--duration',
        '0.2',
        '--responses-per-user',
        '10',
        '--max-warmup',
        '3',
        server.url,
      ]);
      assert.equal(out.code, 0, out.stderr);
      const result = JSON.parse(out.stdout) as LoadResult;
      assert.deepEqual((result.options as LoadOptions).adaptive, {
        responsesPerUser: 10,
        minRequests: 0,
        maxDurationS: 2,
        maxWarmupS: 3,
      });
      const c = result.cycles[0]!;
      assert.ok(c.window && c.window.plannedS >= 0.2 && c.window.plannedS <= 2);
      assert.ok(countsAddUp(c));
    } finally {
      await server.close();
    }
  });
});
