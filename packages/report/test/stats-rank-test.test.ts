import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mannWhitneyU, minAchievableP } from '../src/stats/index.js';

// Reference values printed by test/fixtures/stats-vectors.py: scipy 1.10.1,
// mannwhitneyu(x, y, alternative='two-sided') with its default method='auto' (statistic = U1 of
// x); the script re-runs each with method=<the one given here> and asserts the same p-value.
const vectors: {
  name: string;
  x: number[];
  y: number[];
  u: number;
  p: number;
  method: 'exact' | 'asymptotic';
}[] = [
  {
    name: '3 vs 3 separated',
    x: [1, 2, 3],
    y: [4, 5, 6],
    u: 0,
    p: 0.1,
    method: 'exact',
  },
  {
    name: '5 vs 5 separated',
    x: [20, 21, 22, 23, 24],
    y: [10, 11, 12, 13, 14],
    u: 25,
    p: 0.007936507936507936,
    method: 'exact',
  },
  {
    name: '4 vs 4 interleaved',
    x: [1, 3, 5, 7],
    y: [2, 4, 6, 8],
    u: 6,
    p: 0.6857142857142857,
    method: 'exact',
  },
  {
    name: '1 vs 1',
    x: [1],
    y: [2],
    u: 0,
    p: 1,
    method: 'exact',
  },
  {
    name: '3 vs 7 exact',
    x: [3.1, 4.7, 8.2],
    y: [1.2, 2.5, 5.3, 6.6, 7.4, 9.9, 10.8],
    u: 9,
    p: 0.8333333333333333,
    method: 'exact',
  },
  {
    name: '6 vs 6 overlapping',
    x: [101.2, 99.8, 103.4, 100.5, 102.2, 98.9],
    y: [104.1, 102.9, 105.3, 101.7, 106, 103.8],
    u: 3,
    p: 0.015151515151515152,
    method: 'exact',
  },
  {
    name: '8 vs 20 exact (one size <= 8)',
    x: [490.71, 497.576, 493.897, 491.413, 501.758, 512.398, 502.214, 496.182],
    y: [
      497.489, 520.19, 514.105, 505.687, 520.614, 527.742, 495.683, 517.903, 520.459, 517.805,
      528.018, 518.254, 502.965, 550.001, 513.462, 526.821, 531.661, 520.814, 494.019, 494.96,
    ],
    u: 21,
    p: 0.0016878451661060355,
    method: 'exact',
  },
  {
    name: '5 vs 5 with ties',
    x: [1, 2, 2, 3, 4],
    y: [2, 3, 4, 5, 5],
    u: 5,
    p: 0.13509906945732134,
    method: 'asymptotic',
  },
  {
    name: '9 vs 9 no ties (both > 8)',
    x: [1, 3, 5, 7, 9, 11, 13, 15, 17],
    y: [2, 4, 6, 8, 10, 12, 14, 16, 18],
    u: 36,
    p: 0.7239320396139757,
    method: 'asymptotic',
  },
  {
    name: '20 vs 25',
    x: [
      1025.916, 1018.773, 974.279, 952.87, 994.212, 1048.138, 1053.343, 1036.332, 1013.863,
      1064.001, 1049.314, 991.187, 957.521, 985.417, 983.199, 1027.5, 924.035, 992.345, 1066.849,
      963.189,
    ],
    y: [
      999.661, 1026.63, 973.287, 1024.815, 1029.374, 1029.814, 990.459, 1015.367, 1056.153,
      1001.418, 1051.888, 1056.22, 972.92, 1004.188, 1056.213, 1049.74, 1037.175, 1016.055,
      1034.342, 1104.991, 1021.142, 1053.186, 1013.33, 1022.067, 1055.921,
    ],
    u: 174,
    p: 0.08461012897973123,
    method: 'asymptotic',
  },
  {
    name: '20 vs 25 separated',
    x: [
      100, 101, 102, 103, 104, 105, 106, 107, 108, 109, 110, 111, 112, 113, 114, 115, 116, 117, 118,
      119,
    ],
    y: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25],
    u: 500,
    p: 1.205252299499121e-8,
    method: 'asymptotic',
  },
  {
    name: 'all equal',
    x: [5, 5, 5],
    y: [5, 5],
    u: 3,
    p: 1,
    method: 'asymptotic',
  },
  {
    name: '2 vs 10 exact',
    x: [9.5, 10.5],
    y: [1, 2, 3, 4, 5, 6, 7, 8, 9, 11],
    u: 18,
    p: 0.12121212121212122,
    method: 'exact',
  },
];

const relClose = (actual: number, expected: number, tolerance: number) =>
  Math.abs(actual - expected) <= tolerance * Math.max(Math.abs(expected), Number.MIN_VALUE);

test('mannWhitneyU matches scipy: U and method exactly, p to 1e-9 (exact) / 1e-6 (asymptotic)', () => {
  for (const v of vectors) {
    const r = mannWhitneyU(v.x, v.y);
    assert.equal(r.method, v.method, v.name);
    assert.equal(r.u, v.u, v.name);
    // The asymptotic p goes through simple-statistics' erf, whose relative error is ~1e-7.
    const tolerance = v.method === 'exact' ? 1e-9 : 1e-6;
    assert.ok(relClose(r.p, v.p, tolerance), `${v.name}: p ${r.p} vs scipy ${v.p}`);
  }
});

test('mannWhitneyU: swapping the samples gives U2 = nx·ny − U1 and the same p', () => {
  for (const v of vectors) {
    const a = mannWhitneyU(v.x, v.y);
    const b = mannWhitneyU(v.y, v.x);
    assert.equal(b.u, v.x.length * v.y.length - a.u, v.name);
    assert.ok(relClose(b.p, a.p, 1e-12), v.name);
  }
});

test('mannWhitneyU rejects empty or non-finite samples with RangeError', () => {
  assert.throws(() => mannWhitneyU([], [1]), RangeError);
  assert.throws(() => mannWhitneyU([1], []), RangeError);
  assert.throws(() => mannWhitneyU([1, Number.NaN], [2]), RangeError);
});

test('minAchievableP is 2 / C(nx + ny, nx), and the exact test reaches it', () => {
  // C(6,3) = 20, C(8,4) = 70, C(10,5) = 252, C(12,6) = 924, C(12,5) = 792.
  const cases: [number, number, number][] = [
    [3, 3, 2 / 20],
    [4, 4, 2 / 70],
    [5, 5, 2 / 252],
    [6, 6, 2 / 924],
    [5, 7, 2 / 792],
  ];
  for (const [nx, ny, expected] of cases) {
    assert.ok(relClose(minAchievableP(nx, ny), expected, 1e-12), `${nx} vs ${ny}`);
    const x = Array.from({ length: nx }, (_, i) => i);
    const y = Array.from({ length: ny }, (_, i) => 100 + i);
    assert.ok(relClose(mannWhitneyU(x, y).p, expected, 1e-12), `separated ${nx} vs ${ny}`);
  }
  assert.equal(minAchievableP(1, 1), 1);
  assert.throws(() => minAchievableP(0, 3), RangeError);
  assert.throws(() => minAchievableP(2.5, 3), RangeError);
});
