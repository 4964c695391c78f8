import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import {
  digamma,
  fitPrior,
  moderate,
  tetragamma,
  trigamma,
  trigammaInverse,
} from '../src/stats/moderated-variance.js';
import { pairEffects } from '../src/stats/pairwise.js';

// Reference values written by test/fixtures/moderated-variance.R with limma 3.54.1 (Debian's
// r-bioc-limma): R's digamma/trigamma/psigamma, limma's trigammaInverse and squeezeVar.
interface Fixture {
  special: {
    x: number;
    digamma: number;
    trigamma: number;
    tetragamma: number;
    trigammaInverse: number;
  }[];
  squeeze: {
    var: number[];
    df: number[];
    priorDf: number | string;
    priorVar: number;
    postVar: number[];
  }[];
}
const fixture = JSON.parse(
  readFileSync(
    join(fileURLToPath(import.meta.url), '../../../test/fixtures/moderated-variance.json'),
    'utf8',
  ),
) as Fixture;
const close = (got: number, want: number, rel: number, what: string) =>
  assert.ok(
    Math.abs(got - want) <= rel * Math.max(Math.abs(want), 1e-300),
    `${what}: got ${got}, limma/R ${want}`,
  );
const num = (x: number | string) => (x === 'Infinity' ? Number.POSITIVE_INFINITY : Number(x));

test('digamma, trigamma, tetragamma and trigammaInverse agree with R', () => {
  for (const row of fixture.special) {
    close(digamma(row.x), row.digamma, 1e-11, `digamma(${row.x})`);
    close(trigamma(row.x), row.trigamma, 1e-11, `trigamma(${row.x})`);
    close(tetragamma(row.x), row.tetragamma, 1e-10, `tetragamma(${row.x})`);
    close(trigammaInverse(row.x), row.trigammaInverse, 1e-7, `trigammaInverse(${row.x})`);
  }
});

test("the prior and each posterior variance agree with limma's squeezeVar", () => {
  assert.equal(fixture.squeeze.length, 4);
  for (const [i, c] of fixture.squeeze.entries()) {
    const prior = fitPrior(c.var, c.df);
    const want = num(c.priorDf);
    if (Number.isFinite(want)) close(prior.priorDf, want, 1e-6, `case ${i} d0`);
    else assert.equal(prior.priorDf, Number.POSITIVE_INFINITY, `case ${i} d0`);
    close(prior.priorVar, c.priorVar, 1e-6, `case ${i} s0²`);
    for (const [j, v] of c.var.entries()) {
      const post = moderate(v, c.df[j]!, prior);
      close(post.variance, c.postVar[j]!, 1e-6, `case ${i} posterior ${j}`);
      assert.equal(post.df, c.df[j]! + prior.priorDf);
    }
  }
});

test('the cap: the prior weighs maxDf − df at most, and nothing when maxDf ≤ df', () => {
  const prior = { priorDf: Number.POSITIVE_INFINITY, priorVar: 0.01 };
  assert.deepEqual(moderate(0.04, 5, prior, 35), { variance: (30 * 0.01 + 5 * 0.04) / 35, df: 35 });
  assert.deepEqual(moderate(0.04, 5, prior, 5), { variance: 0.04, df: 5 });
  assert.throws(() => fitPrior([0.01], [5]), /needs ≥ 2 variances/);
});

test('moderated pairs: alike noisy pairs borrow df and narrow; a lone pair or unpaired ones do not', () => {
  // eight pairs of one cell, 6 rounds each, the same noise: the per-pair t has 5 df
  const noise = [0.05, -0.04, 0.02, -0.06, 0.03, 0.0];
  const samples = Array.from({ length: 8 }, (_, k) => ({
    a: noise.map((e, r) => 100 * Math.exp(0.04 * k + e + 0.01 * ((r * (k + 1)) % 3))),
    b: noise.map(() => 100),
    paired: true,
  }));
  const plain = pairEffects(samples, 0.05);
  const mod = pairEffects(samples, 0.05, { moderate: { maxDf: 35 } });
  for (const [i, e] of mod.entries()) {
    assert.equal(plain[i]!.df, 5);
    assert.ok(e.df > 5 && e.df <= 35, `df ${e.df}`);
    assert.equal(e.ratio, plain[i]!.ratio, 'the ratio is the same');
  }
  const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[xs.length >> 1]!;
  assert.ok(
    median(mod.map((e) => e.resolutionPct)) < median(plain.map((e) => e.resolutionPct)),
    'narrower intervals',
  );
  assert.ok(mod.filter((e) => e.decided).length >= plain.filter((e) => e.decided).length);
  // fewer than 3 paired samples: nothing to fit, the plain test
  assert.deepEqual(
    pairEffects(samples.slice(0, 2), 0.05, { moderate: { maxDf: 35 } }),
    pairEffects(samples.slice(0, 2), 0.05),
  );
  const unpaired = samples.map((s) => ({ ...s, paired: false }));
  assert.deepEqual(
    pairEffects(unpaired, 0.05, { moderate: { maxDf: 35 } }),
    pairEffects(unpaired, 0.05),
  );
});
