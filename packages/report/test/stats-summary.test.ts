import assert from 'node:assert/strict';
import { test } from 'node:test';
import { minSamplesForConfidence, summarize } from '../src/stats/index.js';

// Reference values printed by test/fixtures/stats-vectors.py with scipy 1.10.1: k is the largest
// k with 1 - 2 * scipy.stats.binom.cdf(k - 1, n, 0.5) >= level (else 1), confidence is that
// expression at k, median is numpy.median, lo/hi are sorted(values)[k - 1] and [n - k].
const vectors = [
  {
    values: [5, 1, 4, 2, 3],
    level: 0.95,
    median: 3,
    lo: 1,
    hi: 5,
    confidence: 0.9375, // short of 0.95: [min, max] is all 5 values can give
  },
  {
    values: [10.5, 9.75, 11.25, 10, 12.5, 9.5],
    level: 0.95,
    median: 10.25,
    lo: 9.5,
    hi: 12.5,
    confidence: 0.96875,
  },
  {
    values: [7, 3, 9, 1, 5, 8, 2, 10, 4, 6],
    level: 0.95,
    median: 5.5,
    lo: 2,
    hi: 9,
    confidence: 0.978515625,
  },
  {
    values: [
      96.612, 100.17, 93.056, 95.314, 97.775, 97.624, 100.943, 100.363, 99.806, 96.911, 95.838,
      90.445, 106.337, 100.977, 101.848, 91.413, 103.756, 99.56, 104.842, 96.569,
    ],
    level: 0.95,
    median: 98.6675,
    lo: 96.569,
    hi: 100.943,
    confidence: 0.9586105346679688,
  },
  {
    values: [16, 15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1],
    level: 0.9,
    median: 8.5,
    lo: 5,
    hi: 12,
    confidence: 0.923187255859375,
  },
  {
    values: [16, 15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1],
    level: 0.95,
    median: 8.5,
    lo: 4,
    hi: 13,
    confidence: 0.978729248046875,
  },
  {
    values: [1, 2, 2, 2, 3, 3, 9], // ties
    level: 0.95,
    median: 2,
    lo: 1,
    hi: 9,
    confidence: 0.984375,
  },
];

test('summarize matches the order-statistic CI from scipy binom (n = 5, 6, 7, 10, 16, 20)', () => {
  for (const v of vectors) {
    const s = summarize(v.values, v.level);
    const label = `n = ${v.values.length}, level ${v.level}`;
    assert.equal(s.n, v.values.length, label);
    assert.equal(s.median, v.median, label);
    assert.equal(s.lo, v.lo, label);
    assert.equal(s.hi, v.hi, label);
    assert.ok(Math.abs(s.confidence - v.confidence) < 1e-12, `${label}: ${s.confidence}`);
  }
});

test('summarize defaults to 0.95 and does not mutate its input', () => {
  const values = [7, 3, 9, 1, 5, 8, 2, 10, 4, 6];
  const copy = [...values];
  const s = summarize(values);
  assert.deepEqual(values, copy);
  assert.deepEqual([s.lo, s.hi], [2, 9]);
});

test('summarize: one value has no interval, all-equal values a zero-width one', () => {
  assert.deepEqual(summarize([42]), { n: 1, median: 42, lo: 42, hi: 42, confidence: 0 });
  const flat = summarize([3, 3, 3, 3, 3, 3]);
  assert.deepEqual([flat.median, flat.lo, flat.hi], [3, 3, 3]);
});

test('summarize: an exactly reachable level counts as reached (n = 2 at 0.5)', () => {
  const s = summarize([2, 1], 0.5);
  assert.deepEqual([s.lo, s.hi], [1, 2]);
  assert.ok(Math.abs(s.confidence - 0.5) < 1e-12);
});

test('summarize rejects impossible input with RangeError', () => {
  assert.throws(() => summarize([]), RangeError);
  assert.throws(() => summarize([1, Number.NaN]), RangeError);
  assert.throws(() => summarize([1, 2], 1), RangeError);
  assert.throws(() => summarize([1, 2], 0), RangeError);
});

test('minSamplesForConfidence: smallest n whose [min, max] reaches the level (scipy binom)', () => {
  // From stats-vectors.py: smallest n with 1 - 2 * binom.cdf(0, n, 0.5) >= level.
  assert.equal(minSamplesForConfidence(), 6);
  assert.equal(minSamplesForConfidence(0.95), 6);
  assert.equal(minSamplesForConfidence(0.99), 8);
  assert.equal(minSamplesForConfidence(0.9), 5);
  // Consistent with summarize: one window fewer falls short.
  for (const level of [0.9, 0.95, 0.99]) {
    const n = minSamplesForConfidence(level);
    const values = Array.from({ length: n }, (_, i) => i);
    assert.ok(summarize(values, level).confidence >= level);
    assert.ok(summarize(values.slice(1), level).confidence < level);
  }
  assert.throws(() => minSamplesForConfidence(1), RangeError);
});
