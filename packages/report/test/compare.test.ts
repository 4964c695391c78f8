import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import {
  compareSets,
  DEFAULT_COMPARE,
  formatComparison,
  readResultSet,
  regressionsBeyond,
} from '../src/index.js';
import { type WindowSpec, writeSyntheticSet } from './fixtures/synthetic-set.js';

const scratch = mkdtempSync(join(tmpdir(), 'stackbench-compare-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

/** K windows of one cell with the given RPS values (latency fixed unless given). */
const cell = (users: number, rps: number[], med = 100, p95 = 150, cpu?: number[]): WindowSpec[] =>
  rps.map((r, i) => ({
    users,
    rps: r,
    med,
    p95,
    ...(cpu ? { cpuMsPerRequest: cpu[i] as number } : {}),
  }));

const set = (name: string, stacks: Record<string, WindowSpec[]>, extra = {}) =>
  readResultSet(writeSyntheticSet({ dir: join(scratch, name), stacks, ...extra }));

describe('compare, benchstat-style', () => {
  // the same spread in both sets (a lottery of ±10 %), then one cell moved by -25 %
  const spread = [90, 95, 100, 105, 110, 98];
  // CPU per request: tight (±1 %), then 20 % more work in s @ 20, and 3 % in u (a host's drift)
  const cpu = [10, 10.1, 9.9, 10.05, 9.95, 10.02]; // no ties: the exact test
  const base = set('base', {
    s: [
      ...cell(10, spread),
      ...cell(
        20,
        spread.map((r) => r * 2),
        100,
        150,
        cpu,
      ),
    ],
    t: cell(10, spread),
    u: cell(10, spread, 100, 150, cpu),
  });
  const head = set('head', {
    s: [
      ...cell(
        10,
        spread.map((r) => r + 1),
      ),
      ...cell(
        20,
        spread.map((r) => r * 1.5),
        130,
        150,
        cpu.map((c) => c * 1.2),
      ),
    ],
    t: cell(10, [...spread].reverse()),
    u: cell(
      10,
      spread,
      100,
      150,
      cpu.map((c) => c * 1.03),
    ),
  });

  test('flags only what the rank test says is beyond noise, in the right direction', () => {
    const c = compareSets(base, head);
    const at = (stack: string, cus: number, metric: string) =>
      c.cells
        .find((x) => x.stack === stack && x.level === cus)!
        .metrics.find((m) => m.metric === metric)!;
    assert.equal(at('s', 10, 'rps').verdict, '~', 'a +1 % shift inside a ±10 % spread is noise');
    assert.equal(at('t', 10, 'rps').verdict, '~', 'the same values in another order');
    assert.equal(at('t', 10, 'rps').p, 1);
    const moved = at('s', 20, 'rps');
    assert.equal(moved.verdict, 'worse');
    assert.equal(moved.deltaPct, -25);
    // 6 vs 6, fully separated: exact two-sided p = 2 / C(12, 6) = 0.00216; Holm over all
    // c.tests tests multiplies the smallest p-values (here tied) by c.tests
    assert.equal(c.tests, 4 * 5 + 2, '4 cells × 5 metrics, and CPU per request where measured');
    assert.ok(Math.abs(moved.p - 2 / 924) < 1e-9, String(moved.p));
    assert.ok(Math.abs(moved.pAdjusted - 22 * (2 / 924)) < 1e-9, String(moved.pAdjusted));
    assert.equal(at('s', 20, 'p50').verdict, 'worse', 'latency up is worse');
    assert.equal(at('s', 20, 'cpuMsPerRequest').verdict, 'worse', '20 % more CPU per request');
    const drift = at('u', 10, 'cpuMsPerRequest');
    assert.ok(drift.pAdjusted < 0.05, 'a 3 % shift of a tight metric is significant…');
    assert.equal(
      drift.verdict,
      '~',
      '…but below the 5 % minimum change: a host drift, not reported',
    );
    assert.equal(c.counts.worse + c.counts.better + c.counts['~'], 22);
    assert.ok(c.counts.worse >= 2);
    assert.deepEqual(c.underpowered, []);
    const regressions = regressionsBeyond(c, 20);
    assert.ok(regressions.includes('s @ 20 CUs: rps -25.0 % (p = 0.048)'), regressions.join('\n'));
    assert.deepEqual(regressionsBeyond(c, 1000), []);
  });

  test('compare.md: the summary line first, then the changes largest first, then every cell', () => {
    const c = compareSets(base, head);
    const text = formatComparison(base, head, c);
    const lines = text.split('\n');
    assert.match(
      lines[2] ?? '',
      new RegExp(
        `^\\*\\*${c.counts.worse} worse, ${c.counts.better} better, ${c.counts['~']} ~\\*\\* \\(22 tests: 4 cells × 6 metrics\\)`,
      ),
    );
    assert.match(text, /Holm's correction over every test of the comparison/);
    assert.match(text, /at least 5 %/);
    const significant = text.slice(text.indexOf('### Significant'), text.indexOf('### RPS'));
    assert.match(
      significant,
      /\| s \| 20 \| RPS \| 198\.0 \[180\.0, 220\.0\] n=6 \| 148\.5 \[135\.0, 165\.0\] n=6 \| \*\*-25\.0 %\*\* ⚠️ worse \(p=0\.048\) \|/,
    );
    assert.doesNotMatch(significant, /\| t \|/);
    assert.match(
      text,
      /\| t \| 10 \| 99\.00 \[90\.00, 110\.00\] n=6 \| 99\.00 \[90\.00, 110\.00\] n=6 \| ~ \(p=1\.000\) \|/,
    );
  });

  test('says when K is too small for the test to ever decide', () => {
    const small = set('small-base', { s: cell(10, [100, 101, 102]) });
    const smallHead = set('small-head', { s: cell(10, [50, 51, 52]) });
    const c = compareSets(small, smallHead);
    assert.deepEqual(c.underpowered, [{ base: 3, head: 3, minP: 0.1 }]);
    assert.equal(c.counts.worse, 0, 'a halving is not flagged on 3 vs 3: the test cannot reach α');
    assert.match(
      formatComparison(small, smallHead, c),
      /Too few windows to decide:\*\* with 3 vs 3 windows the smallest p-value the test can give is 0\.100/,
    );
  });

  test('the correction and the minimum change can be chosen', () => {
    const none = compareSets(base, head, { ...DEFAULT_COMPARE, correction: 'none' });
    const holm = compareSets(base, head);
    assert.ok(none.counts.worse >= holm.counts.worse);
    const perCell = compareSets(base, head, { ...DEFAULT_COMPARE, correction: 'cell' });
    const moved = perCell.cells.find((x) => x.stack === 's' && x.level === 20)!.metrics[0]!;
    assert.ok(
      Math.abs(moved.pAdjusted - 6 * (2 / 924)) < 1e-9,
      'Holm over the 6 metrics of the cell',
    );
    const bh = compareSets(base, head, { ...DEFAULT_COMPARE, correction: 'bh' });
    assert.match(formatComparison(base, head, bh), /Benjamini–Hochberg over every test/);
    const strict = compareSets(base, head, { ...DEFAULT_COMPARE, minChangePct: 1 });
    const drift = strict.cells
      .find((x) => x.stack === 'u')!
      .metrics.find((m) => m.metric === 'cpuMsPerRequest')!;
    assert.equal(drift.verdict, 'worse', 'with a 1 % minimum the 3 % shift is reported');
  });

  test('refuses a different profile or host class unless forced', () => {
    const other = set('other', { s: cell(10, spread) }, { hash: 'h2', cores: 24 });
    assert.throws(() => compareSets(base, other), {
      code: 'REPORT_INCOMPARABLE',
      message:
        /profile differs: base test \(hash h1\), head test \(hash h2\); host class differs: base Test CPU × 2 cores, head Test CPU × 24 cores\. Pass --force/,
    });
    const forced = compareSets(base, other, { ...DEFAULT_COMPARE, force: true });
    assert.equal(forced.warnings.length, 2);
    assert.match(formatComparison(base, other, forced), /Warning \(compared with --force\)/);
  });
});
