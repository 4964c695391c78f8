import assert from 'node:assert/strict';
import { test } from 'node:test';
import { adjustPValues } from '../src/stats/index.js';

// Reference values printed by test/fixtures/stats-vectors.py (holm() and bh() there are the
// textbook definitions, as statsmodels' multipletests computes them; statsmodels is not installed).
const vectors = [
  {
    // By hand, m = 4, ascending 0.005, 0.01, 0.03, 0.04:
    //   holm: 4·0.005 = 0.02, 3·0.01 = 0.03, 2·0.03 = 0.06, max(1·0.04, 0.06) = 0.06
    //   bh:   min(4/1·0.005, …) = 0.02, min(4/2·0.01 = 0.02, …) = 0.02, 4/3·0.03 = 0.04, 4/4·0.04 = 0.04
    p: [0.01, 0.04, 0.03, 0.005],
    holm: [0.03, 0.06, 0.06, 0.02],
    bh: [0.02, 0.04, 0.039999999999999994, 0.02],
  },
  {
    p: [0.2, 0.001, 0.04, 0.04, 0.5, 0.012, 0.9],
    holm: [0.6000000000000001, 0.007, 0.2, 0.2, 1.0, 0.07200000000000001, 1.0],
    bh: [0.27999999999999997, 0.007, 0.07, 0.07, 0.5833333333333334, 0.042, 0.9],
  },
  { p: [0.6, 0.7, 0.8], holm: [1, 1, 1], bh: [0.8, 0.8, 0.8] },
];

const close = (actual: number[], expected: number[], label: string) => {
  assert.equal(actual.length, expected.length, label);
  actual.forEach((a, i) => {
    assert.ok(Math.abs(a - expected[i]!) <= 1e-12, `${label}[${i}]: ${a} vs ${expected[i]}`);
  });
};

test('holm and bh match the definitions, in input order', () => {
  for (const v of vectors) {
    close(adjustPValues(v.p, 'holm'), v.holm, `holm ${v.p}`);
    close(adjustPValues(v.p, 'bh'), v.bh, `bh ${v.p}`);
  }
});

test('none returns a copy unchanged; empty input gives empty output', () => {
  const p = [0.3, 0.01];
  const out = adjustPValues(p, 'none');
  assert.deepEqual(out, p);
  assert.notEqual(out, p);
  assert.deepEqual(adjustPValues([], 'holm'), []);
  assert.deepEqual(adjustPValues([], 'bh'), []);
});

test('p-values outside [0, 1] and unknown corrections are RangeErrors', () => {
  assert.throws(() => adjustPValues([1.5], 'holm'), RangeError);
  assert.throws(() => adjustPValues([Number.NaN], 'bh'), RangeError);
  assert.throws(() => adjustPValues([0.1], 'bonferroni' as never), RangeError);
});
