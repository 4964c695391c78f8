/**
 * The adaptive scheduler on synthetic cells: which cells race on, how a round is fitted into the
 * budget, and when sampling stops (decided, narrow enough, or max_samples).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { nextRound, openCells, windowSeconds, windowsToSettle } from '../src/set/adaptive-plan.js';
import { syntheticResults } from './fixtures/synthetic-results.js';

const settings = { targetResolutionPct: 5, maxSamples: 12 };
const all = (names: string[]) => new Set(names);

let seed = 1;
/** K values around `center`, uniformly within ±`spread` of it, from a seeded generator (mulberry32). */
function around(center: number, spread: number, k: number): number[] {
  return Array.from({ length: k }, () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    const u = ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    return center * (1 + spread * (2 * u - 1));
  });
}

describe('openCells: the cells still racing', () => {
  test('a cell whose pairs are all decided leaves the race; a close one stays', () => {
    const results = syntheticResults([
      // far apart and steady: every pair decided after 4 rounds
      {
        level: 10,
        rps: { a: around(100, 0.01, 4), b: around(150, 0.01, 4), c: around(200, 0.01, 4) },
      },
      // a and b within 3 % with 8 % noise: undecided, resolution far above 5 %
      {
        level: 80,
        rps: {
          a: around(100, 0.08, 4),
          b: around(103, 0.08, 4),
          c: around(300, 0.01, 4),
        },
      },
    ]);
    const open = openCells(results, all(['a', 'b', 'c']), settings);
    assert.equal(open.length, 1);
    assert.equal(open[0]?.level, 80);
    // only the stacks of unsettled pairs run again: a and b, not c (decided against both)
    assert.deepEqual(open[0]?.stacks, ['a', 'b']);
    assert.equal(open[0]?.unsettled, 1);
    assert.equal(open[0]?.pairs, 3);
    assert.ok(open[0]!.resolutionPct > 5);
  });

  test('a pair narrower than the target resolution is settled though undecided', () => {
    // the same median with 0.2 % noise: undecided, but its interval is far narrower than 5 %
    const results = syntheticResults([
      { level: 10, rps: { a: around(100, 0.002, 6), b: around(100, 0.002, 6) } },
    ]);
    assert.deepEqual(openCells(results, all(['a', 'b']), settings), []);
    // with a target of 0.01 % the same pair races on
    assert.equal(
      openCells(results, all(['a', 'b']), { ...settings, targetResolutionPct: 0.01 }).length,
      1,
    );
  });

  test('max_samples ends the race for a pair that never decides', () => {
    const rps = { a: around(100, 0.1, 12), b: around(100, 0.1, 12) };
    const results = syntheticResults([{ level: 10, rps }]);
    assert.deepEqual(openCells(results, all(['a', 'b']), settings), []);
    assert.equal(openCells(results, all(['a', 'b']), { ...settings, maxSamples: 13 }).length, 1);
  });

  test('a stack that failed (not measured) is out of every pair', () => {
    const results = syntheticResults([
      { level: 10, rps: { a: around(100, 0.08, 4), b: around(101, 0.08, 4) } },
    ]);
    assert.deepEqual(openCells(results, all(['a']), settings), []);
  });

  test('windows to settle: K·(h / max(|ln ratio|, ln(1 + target)))², rounded up, never fewer than K', () => {
    // alike (ratio 1): only the target can settle it; h = ln 1.2, ln 1.1 → 4 × 3.66
    assert.equal(windowsToSettle(20, 1, 4, 10), 15);
    // a 25 % effect is decided sooner than the 5 % target: already wide enough to decide
    assert.equal(windowsToSettle(20, 1.25, 4, 5), 4);
    // 8 % slower, h = ln 1.12 after 3: 3 × (0.1133 / 0.0770)² = 6.5
    assert.equal(windowsToSettle(12, 1 / 1.08, 3, 5), 7);
    assert.equal(windowsToSettle(Number.POSITIVE_INFINITY, 1, 4, 10), Number.POSITIVE_INFINITY);
    assert.equal(windowsToSettle(10, Number.NaN, 4, 10), Number.POSITIVE_INFINITY);
  });

  test('a cell that can settle comes before one that cannot, however undecided', () => {
    const results = syntheticResults([
      // 3 stacks alike with ±30 % noise: every pair undecided, far from 10 % in 12 windows
      { level: 10, rps: { a: [70, 130, 95, 110], b: [125, 80, 105, 90], c: [100, 75, 128, 96] } },
      // a and b within 1 % and ±4 % noise: undecided, a little above the target
      { level: 80, rps: { a: [100, 106, 97, 103], b: [104, 99, 106, 101] } },
    ]);
    const target = { targetResolutionPct: 10, maxSamples: 12 };
    const open = openCells(results, all(['a', 'b', 'c']), target);
    assert.deepEqual(
      open.map((c) => [c.level, c.unsettled]),
      [
        [80, 1],
        [10, 3],
      ],
    );
    assert.ok(open[0]!.resolutionPct > 10, `${open[0]!.resolutionPct}`);
    assert.ok(open[0]!.windowsToSettle <= 12, `${open[0]!.windowsToSettle}`);
    assert.ok(open[1]!.windowsToSettle > 12, `${open[1]!.windowsToSettle}`);
    // with a looser max_samples both can settle, and the one that needs fewer windows comes first
    const loose = openCells(results, all(['a', 'b', 'c']), { ...target, maxSamples: 10_000 });
    assert.deepEqual(
      loose.map((c) => c.level),
      [80, 10],
    );
  });

  test('among cells that cannot settle, the most undecided comes first', () => {
    const results = syntheticResults([
      {
        level: 10,
        rps: {
          a: around(100, 0.08, 4),
          b: around(101, 0.08, 4),
          c: around(400, 0.01, 4),
        },
      },
      {
        level: 80,
        rps: { a: around(100, 0.08, 4), b: around(101, 0.07, 4), c: around(99, 0.09, 4) },
      },
    ]);
    // pairs alike within their noise and a 0.5 % target: neither cell settles in 12 windows
    const open = openCells(results, all(['a', 'b', 'c']), {
      ...settings,
      targetResolutionPct: 0.5,
    });
    assert.deepEqual(
      open.map((c) => [c.level, c.unsettled]),
      [
        [80, 3],
        [10, 1],
      ],
    );
  });
});

describe('nextRound: fitted into the budget', () => {
  const results = syntheticResults([
    {
      level: 10,
      rps: { a: around(100, 0.08, 4), b: around(101, 0.08, 4) },
      durationS: 2,
      warmupS: 1,
    },
    {
      level: 80,
      rps: { a: around(100, 0.08, 4), b: around(101, 0.08, 4), c: around(99, 0.09, 4) },
      durationS: 4,
      warmupS: 2,
    },
  ]);
  // neither cell settles in 12 windows at a 0.5 % target: the most undecided first
  const open = openCells(results, all(['a', 'b', 'c']), { ...settings, targetResolutionPct: 0.5 });
  const cost = {
    window: (cell: { stack: string; connection: 'keep-alive' | 'close'; level: number }) =>
      windowSeconds(results, cell, 99, 0.1),
    perStack: 3,
  };

  test('a window costs what the cell took so far: warm-up, measured part, pause, overhead', () => {
    assert.equal(
      cost.window({ stack: 'a', connection: 'keep-alive', level: 80 }),
      4 + 2 + 0.1 + 0.5,
    );
    assert.equal(
      cost.window({ stack: 'a', connection: 'keep-alive', level: 10 }),
      2 + 1 + 0.1 + 0.5,
    );
    // a cell never measured: the fallback
    assert.equal(cost.window({ stack: 'a', connection: 'close', level: 10 }), 99);
  });

  test('everything that fits; the most undecided cell first when not all fit', () => {
    const full = nextRound(open, cost, 1000);
    assert.equal(full.cells.length, 5);
    // 3 stacks started + 3 windows at 80 (6.6 s) + 2 at 10 (3.6 s)
    assert.ok(Math.abs(full.seconds - (9 + 3 * 6.6 + 2 * 3.6)) < 1e-9);
    const tight = nextRound(open, cost, 30);
    assert.deepEqual(
      tight.cells.map((c) => c.level),
      [80, 80, 80],
    );
    assert.equal(nextRound(open, cost, 5).cells.length, 0);
  });
});
