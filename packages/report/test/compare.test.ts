import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { compareSets, formatComparison, readResultSet, regressionsBeyond } from '../src/index.js';
import { type CycleSpec, writeSyntheticSet } from './fixtures/synthetic-set.js';

const scratch = mkdtempSync(join(tmpdir(), 'stackbench-compare-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

const c = (users: number, rps: number, med = 100, p95 = 150, failed = 0): CycleSpec => ({
  users,
  rps,
  med,
  p95,
  failed,
});

describe('compare', () => {
  const base = readResultSet(
    writeSyntheticSet({ dir: join(scratch, 'base'), stacks: { s: [[c(10, 100), c(20, 200)]] } }),
  );
  const head = readResultSet(
    writeSyntheticSet({
      dir: join(scratch, 'head'),
      stacks: { s: [[c(10, 103), c(20, 150, 130, 150, 5)]] },
    }),
  );
  const options = { thresholdPct: 5, force: false };

  test('flags only deltas beyond the threshold, in the right direction', () => {
    const result = compareSets(base, head, options);
    const [low, high] = result.rows;
    assert.equal(low?.metrics.rps.flag, null, '+3 % is noise at 5 %');
    assert.equal(high?.metrics.rps.flag, 'regression');
    assert.equal(high?.metrics.rps.deltaPct, -25);
    assert.equal(high?.metrics.med.flag, 'regression');
    assert.equal(high?.metrics.p95.flag, null);
    assert.equal(high?.metrics.failures.flag, 'regression');
    const text = formatComparison(base, head, result);
    assert.match(text, /\| s \| 20 \| \*\*200\.0 → 150\.0 \(-25\.0 %\)\*\* ⚠️ \|/);
    assert.match(text, /\| s \| 10 \| 100\.0 → 103\.0 \(\+3\.0 %\) \|/);
    assert.deepEqual(regressionsBeyond(result, 20), [
      's @ 20 CUs: rps -25.0 %',
      's @ 20 CUs: med 30.0 %',
      's @ 20 CUs: failures 500.0 %',
    ]);
    assert.deepEqual(regressionsBeyond(result, 1000), []);
  });

  test('repetitions set the noise threshold', () => {
    const noisy = readResultSet(
      writeSyntheticSet({
        dir: join(scratch, 'noisy'),
        stacks: { s: [[c(10, 80)], [c(10, 120)]] },
      }),
    );
    const result = compareSets(noisy, head, options);
    const rps = result.rows[0]?.metrics.rps;
    // runs 80 and 120: CV 28.3 %, threshold 56.6 %: a +3 % change is not flagged
    assert.ok(rps && rps.thresholdPct > 50 && rps.thresholdPct < 60, String(rps?.thresholdPct));
    assert.equal(rps?.flag, null);
  });

  test('refuses a different profile or host class unless forced', () => {
    const other = readResultSet(
      writeSyntheticSet({
        dir: join(scratch, 'other'),
        hash: 'h2',
        cores: 24,
        stacks: { s: [[c(10, 100)]] },
      }),
    );
    assert.throws(() => compareSets(base, other, options), {
      code: 'REPORT_INCOMPARABLE',
      message:
        /profile differs: base test \(hash h1\), head test \(hash h2\); host class differs: base Test CPU × 2 cores, head Test CPU × 24 cores\. Pass --force/,
    });
    const forced = compareSets(base, other, { ...options, force: true });
    assert.equal(forced.warnings.length, 2);
    assert.match(formatComparison(base, other, forced), /Warning \(compared with --force\)/);
  });
});
