import assert from 'node:assert/strict';
import { test } from 'node:test';
import { jainIndex, maxOverMean } from '../src/stats/index.js';

test('jainIndex: 1 when even, 1/n when one worker takes all', () => {
  assert.equal(jainIndex([250, 250, 250, 250]), 1);
  assert.equal(jainIndex([1000, 0, 0, 0]), 0.25);
  assert.equal(jainIndex([7]), 1);
});

test('jainIndex: a mixed case by hand', () => {
  // (1 + 2 + 3 + 4)² / (4 · (1 + 4 + 9 + 16)) = 100 / 120
  assert.ok(Math.abs(jainIndex([1, 2, 3, 4])! - 100 / 120) < 1e-15);
});

test('maxOverMean: 1 when even, n when one takes all, mixed by hand', () => {
  assert.equal(maxOverMean([250, 250, 250, 250]), 1);
  assert.equal(maxOverMean([1000, 0, 0, 0]), 4);
  assert.equal(maxOverMean([1, 2, 3, 4]), 4 / 2.5);
});

test('no shares or only zeros give null; negative or non-finite shares are RangeErrors', () => {
  assert.equal(jainIndex([]), null);
  assert.equal(jainIndex([0, 0, 0]), null);
  assert.equal(maxOverMean([]), null);
  assert.equal(maxOverMean([0, 0]), null);
  assert.throws(() => jainIndex([1, -1]), RangeError);
  assert.throws(() => maxOverMean([1, Number.NaN]), RangeError);
});
