/**
 * A stack's warm-up: the stopping rule on fixed counts, the pieces a profile warms, and the
 * warm-up itself against real servers on 127.0.0.1 (real sockets, the suite's own load driver):
 * one whose throughput climbs for its first second, as a fresh stack's compiler makes it, and one
 * that is steady from its first request.
 */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { describe, test } from 'node:test';
import type { ProfileSettings, StackRun } from '@stackbench/result';
import type { RunContext, StackSession } from '../src/session/stack-session.js';
import {
  MAX_SLICES,
  pieceDone,
  plannedWarmupS,
  stillClimbing,
  warmUp,
  warmupPieces,
} from '../src/session/stack-warmup.js';

const BASE: ProfileSettings = {
  workers: 2,
  cycles: [4, 16],
  durationS: 0.5,
  warmupS: 0.2,
  cycleWarmupS: 0,
  pauseS: 0,
  backlog: 2048,
  timeout: 120,
  threads: 1,
  loadThreads: 1,
  requestTimeoutS: 5,
  samples: 1,
  interleave: true,
  stacks: ['test'],
  app: '@stackbench/app:benchApp',
  appEnv: {},
};

describe('the stopping rule', () => {
  test('a slice climbs when it is above the best before it by more than 5 % plus 2 Poisson SDs', () => {
    assert.equal(stillClimbing([]), true);
    assert.equal(stillClimbing([1000]), true, 'one slice: nothing to compare');
    // 8,351 → 33,263 req/s: plaintext's second second on a fresh prefork-rr (a warm driver)
    assert.equal(stillClimbing([8351, 33263]), true);
    // 33,263 → 35,187: +5.8 %, within 5 % + 2·√68,450 = 2,186
    assert.equal(stillClimbing([8351, 33263, 35187]), false);
    // compared with the best before it, not the last: a dip then a recovery is not a climb
    assert.equal(stillClimbing([1000, 600, 1000]), false);
    // few completions: 10 → 16 is within 2·√26 ≈ 10.2 of counting noise
    assert.equal(stillClimbing([10, 16]), false);
    assert.equal(stillClimbing([10, 40]), true);
  });

  test('a piece ends once its mode has its requests and it stopped climbing, or at the bound', () => {
    // the default warm-up: one slice
    assert.deepEqual(pieceDone([500], 500, 0, 0), { done: true, steady: true });
    // the mode had its requests before this piece: one slice warms the workload's own code
    assert.deepEqual(pieceDone([50], 9050, 9000, 8000), { done: true, steady: true });
    // flat, but the mode has not served enough yet
    assert.deepEqual(pieceDone([1000, 1000], 2000, 0, 8000), { done: false, steady: false });
    // enough, but still climbing
    assert.deepEqual(pieceDone([3000, 6000], 9000, 0, 8000), { done: false, steady: false });
    assert.deepEqual(pieceDone([3000, 6000, 6100], 15100, 0, 8000), { done: true, steady: true });
    const flat = Array.from({ length: MAX_SLICES }, () => 100);
    assert.deepEqual(pieceDone(flat, 1200, 0, 1e9), { done: true, steady: false });
  });
});

describe('what a profile warms', () => {
  test('by default: warmup_s at the first level of the first workload', () => {
    assert.deepEqual(warmupPieces({ ...BASE, workloads: ['seed', 'plaintext'] }), [
      { workload: 'seed', connection: 'keep-alive', users: 4, modeRequests: 0 },
    ]);
  });

  test('with warmup_requests_per_worker: every connection mode × workload, cheapest first, at its highest level', () => {
    const pieces = warmupPieces({
      ...BASE,
      workers: 4,
      workloads: ['seed', 'plaintext'],
      connections: ['keep-alive', 'close'],
      workloadCycles: { plaintext: [10, 40] },
      warmupRequestsPerWorker: 2000,
    });
    assert.deepEqual(pieces, [
      { workload: 'plaintext', connection: 'keep-alive', users: 40, modeRequests: 8000 },
      { workload: 'seed', connection: 'keep-alive', users: 16, modeRequests: 8000 },
      { workload: 'plaintext', connection: 'close', users: 40, modeRequests: 8000 },
      { workload: 'seed', connection: 'close', users: 16, modeRequests: 8000 },
    ]);
    // a round that measures seed with close only (an adaptive round): that mode, on seed and
    // the set's cheapest workload, which brings the mode's count up
    assert.deepEqual(
      warmupPieces(
        {
          ...BASE,
          workloads: ['seed', 'plaintext', 'json'],
          connections: ['keep-alive', 'close'],
          warmupRequestsPerWorker: 10,
        },
        [
          { workload: 'seed', connection: 'close' },
          { workload: 'seed', connection: 'close' },
        ],
      ).map((p) => `${p.workload} ${p.connection}`),
      ['plaintext close', 'seed close'],
    );
  });

  test("the first guess of a warm-up's length: warmup_s, or three slices a piece", () => {
    assert.equal(plannedWarmupS({ ...BASE, warmupS: 0 }), 0);
    assert.equal(plannedWarmupS(BASE), 0.2);
    const warmed = { ...BASE, connections: ['keep-alive', 'close'] as const };
    assert.equal(
      plannedWarmupS({
        ...warmed,
        connections: [...warmed.connections],
        warmupRequestsPerWorker: 5,
      }),
      3 * 0.2 * 2,
    );
  });
});

/** A plaintext server on 127.0.0.1 whose every answer waits `delayMs(ms since its first request)`. */
async function plaintextServer(delayMs: (sinceFirstMs: number) => number): Promise<Server> {
  let first: number | null = null;
  const server = createServer((_req, res) => {
    first ??= performance.now();
    const wait = delayMs(performance.now() - first);
    const answer = () => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end('Hello, World!');
    };
    if (wait > 0) setTimeout(answer, wait);
    else answer();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

function sessionOn(server: Server): StackSession {
  const { port } = server.address() as AddressInfo;
  const run = {
    lifecycle: { warmupMs: null },
  } as unknown as StackRun;
  return {
    stack: { name: 'test' },
    run,
    port,
    url: `http://127.0.0.1:${port}/`,
    failed: false,
    state: { dir: null, running: null, pids: [] },
  } as unknown as StackSession;
}

function contextFor(settings: ProfileSettings, phases: string[]): RunContext {
  return {
    settings,
    signal: new AbortController().signal,
    progress: { phase: (_stack: string, text: string) => phases.push(text) },
  } as unknown as RunContext;
}

const plaintextOnly: ProfileSettings = {
  ...BASE,
  workers: 1,
  cycles: [20],
  workloads: ['plaintext'],
};

describe('the warm-up against real servers', () => {
  test('a server that speeds up over its first 1.2 s is warmed until it stops climbing', async () => {
    // 16 ms a response at first, 0 after 1.2 s: 20 users climb from ~1,300 to thousands of req/s
    const server = await plaintextServer((t) => Math.max(0, 16 * (1 - t / 1200)));
    try {
      const session = sessionOn(server);
      const phases: string[] = [];
      await warmUp(session, contextFor({ ...plaintextOnly, warmupRequestsPerWorker: 100 }, phases));
      const [piece, ...more] = session.run.warmups ?? [];
      assert.equal(more.length, 0);
      assert.ok(piece);
      assert.equal(piece.workload, 'plaintext');
      assert.equal(piece.users, 20);
      assert.equal(piece.steady, true, `slices ${piece.rps.join(', ')}`);
      // it went on past the 0.2 s slices of the climb (the count of 100 was met in the first)
      assert.ok(piece.rps.length >= 4, `slices ${piece.rps.join(', ')}`);
      const last = piece.rps.at(-1) ?? 0;
      assert.ok(last > 3 * (piece.rps[0] ?? 0), `slices ${piece.rps.join(', ')}`);
      assert.equal(phases.length, piece.rps.length, 'progress names every slice');
      assert.match(phases[0] ?? '', /warming up: plaintext, 20 users, keep-alive, slice 1/);
      assert.ok((session.run.lifecycle.warmupMs ?? 0) >= 200 * piece.rps.length);
    } finally {
      server.close();
      server.closeAllConnections();
    }
  });

  test('a steady server: slices until one no longer climbs, once the requests are served; the default warm-up: one', async () => {
    const server = await plaintextServer(() => 0);
    try {
      const session = sessionOn(server);
      await warmUp(session, contextFor({ ...plaintextOnly, warmupRequestsPerWorker: 1 }, []));
      const [piece] = session.run.warmups ?? [];
      assert.ok(piece);
      // the load driver and this server share one process that is itself warming up, so a
      // second slice may still climb: the piece ends at the first slice that does not
      const counts = piece.rps.map((rps) => rps * piece.sliceS);
      assert.ok(counts.length >= 2 && counts.length < MAX_SLICES, `slices ${piece.rps.join(', ')}`);
      assert.equal(stillClimbing(counts), false, `slices ${piece.rps.join(', ')}`);
      for (let n = 2; n < counts.length; n++) {
        assert.equal(stillClimbing(counts.slice(0, n)), true, `slices ${piece.rps.join(', ')}`);
      }
      assert.equal(piece.steady, true);

      const plain = sessionOn(server);
      await warmUp(plain, contextFor(plaintextOnly, []));
      assert.equal(plain.run.warmups?.length, 1);
      assert.equal(plain.run.warmups?.[0]?.rps.length, 1);
      assert.ok((plain.run.warmups?.[0]?.rps[0] ?? 0) > 0);
    } finally {
      server.close();
      server.closeAllConnections();
    }
  });

  test('requests never reached: the piece ends at its bound, not steady', async () => {
    const server = await plaintextServer(() => 0);
    try {
      const session = sessionOn(server);
      const settings = { ...plaintextOnly, warmupS: 0.05, warmupRequestsPerWorker: 1e9 };
      await warmUp(session, contextFor(settings, []));
      const [piece] = session.run.warmups ?? [];
      assert.equal(piece?.rps.length, MAX_SLICES);
      assert.equal(piece?.steady, false);
    } finally {
      server.close();
      server.closeAllConnections();
    }
  });
});
