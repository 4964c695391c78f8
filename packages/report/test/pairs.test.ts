import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { LoadResult } from '@stackbench/loadgen';
import {
  type ConnectionMode,
  type SampleWindow,
  STACK_RESULT_SCHEMA,
  type StackResult,
  type StackRun,
} from '@stackbench/result';
import { cellGroups, groupPairs, pairRanks } from '../src/pairs.js';
import { type WindowSpec, writeSyntheticSet } from './fixtures/synthetic-set.js';

interface WindowOptions {
  p95?: number;
  level?: number;
  connection?: ConnectionMode;
  disturbed?: boolean;
  replacedBy?: number;
  cycles?: number;
}

/** A window with only what pairs read: one cycle's RPS and p95, noise, replacedBy. */
function win(rps: number, o: WindowOptions = {}): SampleWindow {
  const cycle = { rps: { total: rps, successful: rps }, latencyMs: { p95: o.p95 ?? 10 } };
  return {
    cus: o.level ?? 10,
    ...(o.connection ? { connection: o.connection } : {}),
    seq: 0,
    startedAt: '2026-01-01T00:00:00.000Z',
    load: { cycles: Array.from({ length: o.cycles ?? 1 }, () => cycle) } as unknown as LoadResult,
    balance: null,
    server: [],
    noise: o.disturbed
      ? {
          seconds: 10,
          stealPct: 12,
          foreignCpuPct: 1,
          driverCpuPct: 20,
          stackCpuPct: 40,
          runQueue: 1,
          runQueueMax: 2,
          disturbed: ['steal 12 %'],
        }
      : null,
    ...(o.replacedBy === undefined ? {} : { replacedBy: o.replacedBy }),
  };
}

function run(round: number, windows: SampleWindow[], status: 'complete' | 'failed' = 'complete') {
  return {
    round,
    status,
    error: null,
    logTail: [],
    startedAt: '2026-01-01T00:00:00.000Z',
    lifecycle: {} as StackRun['lifecycle'],
    verification: null,
    windows,
    server: { summary: null },
  } satisfies StackRun;
}

function stack(name: string, runs: StackRun[]): StackResult {
  return {
    schema: STACK_RESULT_SCHEMA,
    stack: { name, title: name, description: '', reference: false },
    runs,
  };
}

/** An interleaved stack: the i-th value runs in round i + 1, one window per round. */
function interleaved(name: string, rps: number[], o: (i: number) => WindowOptions = () => ({})) {
  return stack(
    name,
    rps.map((v, i) => run(i + 1, [win(v, o(i))])),
  );
}

/** Host drift per round, ±10 %: shared by every stack of the round. */
const DRIFT = [1, 1.1, 0.9, 1.06, 0.94, 1.08, 0.92, 1.02];
const wobble = (i: number) => 1 + ((i % 3) - 1) * 0.003;
const steady = (base: number) => DRIFT.map((d, i) => base * d * wobble(i + (base % 7)));

test('cellGroups: keep-alive first, levels ascending, windows by round; what stackCells skips', () => {
  const a = stack('a', [
    run(2, [win(100, { level: 20 }), win(101, { level: 10, connection: 'close' })]),
    run(1, [
      win(102, { level: 20 }),
      win(103, { level: 10 }),
      win(104, { level: 10, replacedBy: 9 }),
      win(105, { level: 10, cycles: 2 }),
    ]),
    run(3, [win(106, { level: 10 })], 'failed'),
  ]);
  const b = stack('b', [run(1, [win(200, { level: 10, disturbed: true })])]);
  const groups = cellGroups([a, b]);
  assert.deepEqual(
    groups.map((g) => [g.connection, g.level, [...g.stacks.keys()]]),
    [
      ['keep-alive', 10, ['a', 'b']],
      ['keep-alive', 20, ['a']],
      ['close', 10, ['a']],
    ],
  );
  // the replaced window, the window of two cycles and the failed run's window are left out
  assert.deepEqual(groups[0]!.stacks.get('a'), [
    { round: 1, disturbed: false, values: { rps: 103, p95: 10, cpuMsPerRequest: null } },
  ]);
  assert.deepEqual(groups[0]!.stacks.get('b'), [
    { round: 1, disturbed: true, values: { rps: 200, p95: 10, cpuMsPerRequest: null } },
  ]);
  assert.deepEqual(
    groups[1]!.stacks.get('a')!.map((v) => [v.round, v.values.rps]),
    [
      [1, 102],
      [2, 100],
    ],
  );
});

test('pairs are paired by round: the drift both stacks saw cancels', () => {
  const group = cellGroups([
    interleaved('fast', steady(1050)),
    interleaved('slow', steady(1000)),
  ])[0]!;
  const g = groupPairs(group, 'rps');
  assert.equal(g.total, 1);
  const pair = g.pairs[0]!;
  assert.equal(pair.a, 'fast');
  assert.equal(pair.b, 'slow');
  assert.equal(pair.effect.paired, true);
  assert.equal(pair.effect.n, 8);
  assert.ok(pair.effect.decided);
  assert.equal(pair.better, 'fast');
  assert.ok(pair.effect.lo > 1.04 && pair.effect.hi < 1.06, JSON.stringify(pair.effect));
  assert.equal(pair.disturbedRounds, 0);
  assert.equal(pair.dropped, 0);
});

test('only the rounds both ran are paired', () => {
  const a = interleaved('a', steady(1100));
  const b = stack(
    'b',
    steady(1000)
      .map((v, i) => run(i + 1, [win(v)]))
      .filter((r) => r.round % 2 === 0),
  );
  const pair = groupPairs(cellGroups([a, b])[0]!, 'rps').pairs[0]!;
  assert.equal(pair.effect.paired, true);
  assert.equal(pair.effect.n, 4);
  assert.equal(pair.better, 'a');
});

test('a replaced window is left out and its re-run pairs in its round (synthetic set)', (t) => {
  const scratch = mkdtempSync(join(tmpdir(), 'stackbench-pairs-'));
  t.after(() => rmSync(scratch, { recursive: true, force: true }));
  const specs = (base: number, replaceAt?: number): WindowSpec[] =>
    DRIFT.slice(0, 6).flatMap((d, i) => {
      const w = { users: 10, rps: Math.round(base * d * wobble(i)), med: 5, p95: 9 };
      // the replaced window measured garbage (a tenth): it must not reach the pair
      return i === replaceAt
        ? [
            { ...w, rps: Math.round(w.rps / 10), replaced: true, noise: { disturbed: ['steal'] } },
            w,
          ]
        : [w];
    });
  const dir = writeSyntheticSet({
    dir: join(scratch, 'set'),
    stacks: { a: specs(1100, 2), b: specs(1000) },
  });
  const read = (name: string) =>
    JSON.parse(readFileSync(join(dir, `${name}.json`), 'utf8')) as StackResult;
  const results = [read('a'), read('b')];
  assert.ok(results[0]!.runs.some((r) => r.windows.some((w) => w.replacedBy !== undefined)));
  const group = cellGroups(results)[0]!;
  assert.deepEqual(
    group.stacks.get('a')!.map((v) => v.round),
    [1, 2, 3, 4, 5, 6],
  );
  const pair = groupPairs(group, 'rps').pairs[0]!;
  assert.equal(pair.effect.paired, true);
  assert.equal(pair.effect.n, 6);
  assert.equal(pair.better, 'a');
  assert.ok(pair.effect.lo > 1.08 && pair.effect.hi < 1.12, JSON.stringify(pair.effect));
  // the disturbed window was replaced; its re-run is quiet
  assert.equal(pair.disturbedRounds, 0);
});

test('stacks that share fewer than 2 rounds are compared unpaired (sequential set)', () => {
  // sequential: one run per stack, all its windows in it
  const a = stack('a', [
    run(
      1,
      [1100, 1120, 1090, 1105, 1110].map((v) => win(v)),
    ),
  ]);
  const b = stack('b', [
    run(
      2,
      [1000, 990, 1010, 1005].map((v) => win(v)),
    ),
  ]);
  // shares round 1 only with a
  const c = stack('c', [run(1, [win(700)]), run(3, [win(710)]), run(4, [win(705)])]);
  const g = groupPairs(cellGroups([a, b, c])[0]!, 'rps');
  const ab = g.pairs.find((p) => p.a === 'a' && p.b === 'b')!;
  assert.equal(ab.effect.paired, false);
  assert.equal(ab.effect.n, 4);
  assert.ok(ab.effect.decided && ab.better === 'a');
  const ac = g.pairs.find((p) => p.a === 'a' && p.b === 'c')!;
  assert.equal(ac.effect.paired, false);
  assert.equal(ac.effect.n, 3);
  assert.deepEqual(g.windows, { min: 3, max: 5 });
});

test('ranks from pairs: a clear order', () => {
  const results = [
    interleaved('b', steady(900)),
    interleaved('a', steady(1000)),
    interleaved('c', steady(800)),
  ];
  const group = cellGroups(results)[0]!;
  const rps = groupPairs(group, 'rps');
  assert.equal(rps.decided, 3);
  assert.equal(rps.total, 3);
  assert.deepEqual(
    rps.pairs.map((p) => [p.a, p.b]),
    [
      ['a', 'b'],
      ['a', 'c'],
      ['b', 'c'],
    ],
  );
  assert.deepEqual(pairRanks(rps, ['a', 'b', 'c']), [
    { stack: 'a', rank: 1, tied: false },
    { stack: 'b', rank: 2, tied: false },
    { stack: 'c', rank: 3, tied: false },
  ]);
  assert.ok(rps.resolutionPct > 0 && rps.resolutionPct <= rps.worstResolutionPct);
  assert.ok(Number.isFinite(rps.worstResolutionPct));
});

test('ranks from pairs on p95: lower is better', () => {
  const p95 = (base: number) => (i: number) => ({ p95: base * DRIFT[i]! * wobble(i) });
  const results = [
    interleaved(
      'quick',
      DRIFT.map(() => 1000),
      p95(5),
    ),
    interleaved(
      'sluggish',
      DRIFT.map(() => 1000),
      p95(8),
    ),
  ];
  const g = groupPairs(cellGroups(results)[0]!, 'p95');
  assert.equal(g.pairs[0]!.better, 'quick');
  assert.ok(g.pairs[0]!.effect.ratio < 1);
  assert.deepEqual(
    pairRanks(g, ['sluggish', 'quick']).map((r) => [r.stack, r.rank]),
    [
      ['sluggish', 2],
      ['quick', 1],
    ],
  );
});

test('ranks from pairs: ties share a rank', () => {
  // a and b differ by noise only; c is clearly slower than both
  const noisy = (base: number, phase: number) =>
    DRIFT.map((d, i) => base * d * (1 + 0.02 * Math.sin(i * 2.3 + phase)));
  const results = [
    interleaved('a', noisy(1000, 0)),
    interleaved('b', noisy(1000, 1.7)),
    interleaved('c', noisy(700, 3.1)),
  ];
  const g = groupPairs(cellGroups(results)[0]!, 'rps');
  const ab = g.pairs.find((p) => p.a === 'a' && p.b === 'b')!;
  assert.equal(ab.effect.decided, false);
  assert.equal(ab.better, null);
  assert.ok(ab.effect.lo < 1 && ab.effect.hi > 1);
  assert.equal(g.decided, 2);
  assert.deepEqual(pairRanks(g, ['a', 'b', 'c']), [
    { stack: 'a', rank: 1, tied: true },
    { stack: 'b', rank: 1, tied: true },
    { stack: 'c', rank: 3, tied: false },
  ]);
});

test('disturbed rounds are counted over the rounds behind the interval', () => {
  const a = interleaved('a', steady(1100), (i) => ({ disturbed: i === 1 || i === 3 }));
  const b = interleaved('b', steady(1000), (i) => ({ disturbed: i === 3 || i === 5 }));
  const pair = groupPairs(cellGroups([a, b])[0]!, 'rps').pairs[0]!;
  assert.equal(pair.effect.paired, true);
  assert.equal(pair.disturbedRounds, 3); // rounds 2, 4 and 6
  // unpaired: every round of either stack's windows is behind the interval
  const c = stack('c', [run(1, [win(1000, { disturbed: true }), win(1010, { disturbed: true })])]);
  const d = stack('d', [run(2, [win(900), win(905, { disturbed: true })])]);
  const cd = groupPairs(cellGroups([c, d])[0]!, 'rps').pairs[0]!;
  assert.equal(cd.effect.paired, false);
  assert.equal(cd.disturbedRounds, 2);
});

test('a window that served nothing is dropped from the pair and counted', () => {
  const rps = steady(1100);
  rps[2] = 0;
  const pair = groupPairs(
    cellGroups([interleaved('a', rps), interleaved('b', steady(1000))])[0]!,
    'rps',
  ).pairs[0]!;
  assert.equal(pair.dropped, 1);
  assert.equal(pair.effect.paired, true);
  assert.equal(pair.effect.n, 7);
  assert.ok(pair.effect.decided);
});

test('a group with one stack or none has no pairs and no resolution', () => {
  const one = groupPairs(cellGroups([interleaved('a', steady(1000))])[0]!, 'rps');
  assert.equal(one.total, 0);
  assert.equal(one.decided, 0);
  assert.equal(one.resolutionPct, Number.POSITIVE_INFINITY);
  assert.equal(one.worstResolutionPct, Number.POSITIVE_INFINITY);
  assert.deepEqual(one.windows, { min: 8, max: 8 });
  assert.deepEqual(pairRanks(one, ['a']), [{ stack: 'a', rank: 1, tied: false }]);
  const none = groupPairs(
    { workload: 'seed', connection: 'keep-alive', level: 10, stacks: new Map() },
    'p95',
  );
  assert.deepEqual(none.windows, { min: 0, max: 0 });
  assert.equal(none.resolutionPct, Number.POSITIVE_INFINITY);
  // a pair of single windows: no interval, so an infinite resolution
  const single = groupPairs(
    cellGroups([interleaved('a', [1000]), interleaved('b', [900])])[0]!,
    'rps',
  );
  assert.equal(single.pairs[0]!.effect.resolutionPct, Number.POSITIVE_INFINITY);
  assert.equal(single.resolutionPct, Number.POSITIVE_INFINITY);
});
