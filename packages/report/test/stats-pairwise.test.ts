import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { type PairEffect, type PairSample, pairEffects } from '../src/stats/index.js';
import { studentQuantile, studentTwoSidedP } from '../src/stats/pairwise.js';

// Reference values written by test/fixtures/pairwise-vectors.py (Debian's scipy 1.10.1:
// ttest_rel / ttest_ind(equal_var=False) on the logarithms, t.ppf for the intervals,
// Benjamini–Hochberg by hand); see the script for how each number is made.
interface Expected {
  label: string;
  a: number[];
  b: number[];
  paired: boolean;
  n: number;
  df: number;
  ratio: number;
  level: number;
  p: number;
  pAdjusted: number;
  decided: boolean;
  lo: number;
  hi: number;
  resolutionPct: number;
}
interface Family {
  name: string;
  alpha: number;
  effects: Expected[];
}

const vectorsPath = join(
  fileURLToPath(import.meta.url),
  '../../../test/fixtures/pairwise-vectors.json',
);
const special: Record<string, number> = {
  Infinity: Number.POSITIVE_INFINITY,
  '-Infinity': Number.NEGATIVE_INFINITY,
  NaN: Number.NaN,
};
const vectors = JSON.parse(readFileSync(vectorsPath, 'utf8'), (_key, value) =>
  typeof value === 'string' && value in special ? special[value] : value,
) as { scipy: string; families: Family[] };

/** Equal within 1e-6 relative (exactly equal for 0, ±∞ and NaN). */
function close(actual: number, expected: number, what: string): void {
  if (Number.isNaN(expected) || !Number.isFinite(expected) || expected === 0) {
    assert.ok(Object.is(actual, expected), `${what}: ${actual}, expected ${expected}`);
    return;
  }
  const rel = Math.abs(actual - expected) / Math.abs(expected);
  assert.ok(rel <= 1e-6, `${what}: ${actual}, expected ${expected} (relative error ${rel})`);
}

const FIELDS = ['ratio', 'lo', 'hi', 'level', 'p', 'pAdjusted', 'resolutionPct'] as const;

for (const family of vectors.families) {
  test(`pairEffects matches scipy: ${family.name}`, () => {
    const got = pairEffects(
      family.effects.map((e) => ({ a: e.a, b: e.b, paired: e.paired })),
      family.alpha,
    );
    assert.equal(got.length, family.effects.length);
    family.effects.forEach((want, i) => {
      const e = got[i]!;
      const what = `${family.name} / ${want.label}`;
      assert.equal(e.n, want.n, `${what}: n`);
      assert.equal(e.paired, want.paired, `${what}: paired`);
      assert.equal(e.decided, want.decided, `${what}: decided`);
      for (const field of FIELDS) close(e[field], want[field], `${what}: ${field}`);
    });
  });
}

test('the vectors cover what they are meant to', () => {
  const all = vectors.families.flatMap((f) => f.effects);
  assert.equal(vectors.scipy, '1.10.1');
  assert.ok(all.some((e) => e.paired) && all.some((e) => !e.paired));
  assert.ok(all.some((e) => e.decided) && all.some((e) => !e.decided));
  assert.ok(
    all.some((e) => e.n === 2 && e.decided),
    'n = 2 deciding',
  );
  assert.ok(all.some((e) => e.p === 0) && all.some((e) => e.hi === Number.POSITIVE_INFINITY));
  // a family in which BH decides some pairs and not others, so both FCR levels are used
  assert.ok(
    vectors.families.some(
      (f) => f.effects.some((e) => e.decided) && f.effects.some((e) => !e.decided && e.n >= 2),
    ),
  );
});

test('Student t: tail and quantile against scipy (2·t.sf, t.ppf)', () => {
  // scipy 1.10.1: 2 * t.sf(x, df) and t.ppf(1 - g / 2, df)
  close(studentTwoSidedP(2, 7), 0.08561932856297597, 'p(2, 7)');
  close(studentTwoSidedP(30, 1894.5), 4.016821659912065e-162, 'p(30, 1894.5)');
  close(studentTwoSidedP(0, 5), 1, 'p(0, 5)');
  close(studentQuantile(0.05, 20), 2.0859634472658364, 'q(0.05, 20)');
  close(studentQuantile(0.05, 1), 12.706204736432095, 'q(0.05, 1)');
  close(studentQuantile(0.0025, 4.5), 6.081496378127224, 'q(0.0025, 4.5)');
});

/** mulberry32: a small seeded generator, so the property tests are the same on every run. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function normal(next: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next());
}

/** A family of up to 10 pairs, paired and unpaired, null and not, n from 1 to 12. */
function randomFamily(next: () => number): PairSample[] {
  const m = 1 + Math.floor(next() * 10);
  return Array.from({ length: m }, () => {
    const paired = next() < 0.6;
    const effect = next() < 0.5 ? 0 : (next() - 0.5) * 0.2;
    const noise = 0.005 + next() * 0.05;
    const na = 1 + Math.floor(next() * 12);
    const nb = paired ? na : 1 + Math.floor(next() * 12);
    const drift = Array.from({ length: Math.max(na, nb) }, () => 0.05 * normal(next));
    const a = Array.from({ length: na }, (_, i) =>
      Math.exp(7 + effect + drift[i]! + noise * normal(next)),
    );
    const b = Array.from({ length: nb }, (_, i) =>
      Math.exp(7 + (paired ? drift[i]! : 0.05 * normal(next)) + noise * normal(next)),
    );
    return { a, b, paired };
  });
}

const excludesOne = (e: PairEffect) => e.lo > 1 || e.hi < 1;

test('property: decided ⇔ the FCR interval excludes 1, over 2000 random families', () => {
  const next = rng(12345);
  let decided = 0;
  let undecided = 0;
  let mixed = 0;
  for (let k = 0; k < 2000; k++) {
    const samples = randomFamily(next);
    const alpha = [0.05, 0.1, 0.01][k % 3]!;
    const effects = pairEffects(samples, alpha);
    const m = samples.length;
    const r = effects.filter((e) => e.decided).length;
    if (r > 0 && r < m) mixed++;
    for (const e of effects) {
      assert.equal(e.decided, excludesOne(e), JSON.stringify(e));
      assert.equal(e.decided, e.pAdjusted <= alpha);
      assert.ok(e.pAdjusted >= e.p && e.pAdjusted <= 1);
      assert.ok(e.lo <= e.ratio && e.ratio <= e.hi);
      const gamma = ((e.decided ? Math.max(r, 1) : r + 1) * alpha) / m;
      assert.ok(Math.abs(e.level - (1 - gamma)) < 1e-12);
      if (e.decided) decided++;
      else undecided++;
    }
  }
  assert.ok(decided > 500 && undecided > 500 && mixed > 200, `${decided} ${undecided} ${mixed}`);
});

test('swapping a and b inverts the ratio and its interval, p unchanged', () => {
  const next = rng(7);
  for (let k = 0; k < 200; k++) {
    const samples = randomFamily(next);
    const forward = pairEffects(samples);
    const back = pairEffects(samples.map((s) => ({ a: s.b, b: s.a, paired: s.paired })));
    forward.forEach((f, i) => {
      const g = back[i]!;
      if (Number.isNaN(f.ratio)) return;
      assert.ok(Math.abs(f.ratio * g.ratio - 1) < 1e-12);
      if (Number.isFinite(f.hi)) assert.ok(Math.abs(f.lo * g.hi - 1) < 1e-12);
      assert.ok(Math.abs(f.p - g.p) <= 1e-12 * Math.max(f.p, 1e-300));
      assert.equal(f.decided, g.decided);
    });
  }
});

test('pairing removes the drift shared by a round', () => {
  // Round drift of ±10 % around a steady 5 % difference: paired, the ratio is exact every round.
  const drift = [1, 1.1, 0.9, 1.05, 0.95, 1.08];
  const b = drift.map((d) => 1000 * d);
  const a = b.map((x, i) => x * 1.05 * (1 + ((i % 3) - 1) * 0.002));
  const [paired, unpaired] = pairEffects([
    { a, b, paired: true },
    { a, b, paired: false },
  ]);
  assert.ok(paired!.decided && paired!.lo > 1.04 && paired!.hi < 1.06);
  assert.ok(!unpaired!.decided && unpaired!.lo < 1 && unpaired!.hi > 1);
  assert.ok(paired!.resolutionPct < 1 && unpaired!.resolutionPct > 5);
});

test('too few values: p = 1, interval [0, ∞), resolution ∞', () => {
  const [one, side, empty] = pairEffects([
    { a: [1000], b: [900], paired: true },
    { a: [1000, 1010, 990], b: [900], paired: false },
    { a: [], b: [], paired: true },
  ]);
  for (const e of [one!, side!, empty!]) {
    assert.equal(e.p, 1);
    assert.equal(e.decided, false);
    assert.equal(e.lo, 0);
    assert.equal(e.hi, Number.POSITIVE_INFINITY);
    assert.equal(e.resolutionPct, Number.POSITIVE_INFINITY);
  }
  assert.ok(Math.abs(one!.ratio - 1000 / 900) < 1e-12);
  assert.equal(side!.n, 1);
  assert.ok(Number.isNaN(empty!.ratio));
});

test('zero variance: p = 0 and width 0 off 1, p = 1 at 1', () => {
  const [apart, same] = pairEffects([
    { a: [300, 300, 300], b: [200, 200, 200], paired: true },
    { a: [300, 300], b: [300, 300, 300], paired: false },
  ]);
  assert.equal(apart!.p, 0);
  assert.ok(apart!.decided);
  assert.equal(apart!.lo, apart!.hi);
  assert.equal(apart!.resolutionPct, 0);
  assert.equal(same!.p, 1);
  assert.ok(!same!.decided);
  assert.equal(same!.lo, 1);
  assert.equal(same!.hi, 1);
});

test('impossible input is a RangeError', () => {
  for (const bad of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
    assert.throws(() => pairEffects([{ a: [1, bad], b: [1, 2], paired: true }]), RangeError);
    assert.throws(() => pairEffects([{ a: [1, 2], b: [bad], paired: false }]), RangeError);
  }
  assert.throws(() => pairEffects([{ a: [1, 2], b: [1, 2, 3], paired: true }]), RangeError);
  for (const alpha of [0, 1, -0.1, Number.NaN]) {
    assert.throws(() => pairEffects([{ a: [1, 2], b: [1, 2], paired: true }], alpha), RangeError);
  }
  assert.deepEqual(pairEffects([]), []);
});
