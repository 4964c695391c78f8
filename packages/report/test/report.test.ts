import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { decode, latencyStats, newHistogram } from '@stackbench/loadgen/histogram';
import {
  buildReport,
  CAPACITY_LABEL,
  readResultSet,
  stableStringify,
  stackCells,
  validateManifest,
} from '../src/index.js';
import { type WindowSpec, writeSyntheticSet } from './fixtures/synthetic-set.js';

const root = resolve(fileURLToPath(import.meta.url), '../../../../..');
const scratch = mkdtempSync(join(tmpdir(), 'stackbench-report-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

const files = (dir: string) =>
  ['report.md', ...readdirSync(join(dir, 'charts')).map((n) => `charts/${n}`)]
    .sort()
    .map((n) => [n, readFileSync(join(dir, n), 'utf8')] as const);

/**
 * K windows of one cell, RPS rising by `step` from `rps`; window i runs in round i + 1, or in
 * the order given (`order[i]`: which step round i + 1 gets, so two cells share no trend).
 */
const windows = (
  users: number,
  rps: number,
  step: number,
  med: number,
  k = 6,
  order?: number[],
): WindowSpec[] =>
  Array.from({ length: k }, (_, i) => ({
    users,
    rps: rps + (order?.[i] ?? i) * step,
    med,
    p95: med * 1.5,
  }));

describe('report', () => {
  const dir = writeSyntheticSet({
    dir: join(scratch, 'set'),
    reference: ['ref'],
    skipped: { gone: 'command gunicorn not found on PATH' },
    stacks: {
      // at 50 CUs mine and ref differ by less than their round-to-round noise (a tie); at 100
      // mine is clearly ahead
      mine: [...windows(50, 400, 2, 100), ...windows(100, 700, 2, 120)],
      ref: [...windows(50, 402, 2, 101, 6, [3, 0, 5, 1, 4, 2]), ...windows(100, 600, 2, 140)],
      slow: [...windows(50, 300, 1, 150), ...windows(100, 300, 1, 300)],
    },
  });

  test('report.md and charts, byte-identical on a rebuild', async () => {
    const built = await buildReport(dir);
    assert.equal(built.charts.length, 12);
    const first = files(dir);
    await buildReport(dir);
    assert.deepEqual(files(dir), first);
  });

  test('ranks with certainty: pairs the rounds cannot tell apart tie, the others do not', () => {
    const report = readFileSync(join(dir, 'report.md'), 'utf8');
    const at50 = report.slice(report.indexOf('### 50 CUs'), report.indexOf('### 100 CUs'));
    assert.match(at50, /\| =1 \| ref \(reference\) \| 407\.0 \[402\.0, 412\.0\] \|/);
    assert.match(at50, /\| =1 \| mine \| 405\.0 \[400\.0, 410\.0\] \|/);
    assert.match(at50, /\| 3 \| slow \| 302\.5 \[300\.0, 305\.0\] \|/);
    assert.match(
      at50,
      /^\| (mine \/ ref|ref \/ mine) \| [\d.]+ \[[\d.]+, [\d.]+\] \| tied \(resolution [\d.]+ %\) \|/m,
    );
    const at100 = report.slice(report.indexOf('### 100 CUs'));
    assert.match(at100, /\| 1 \| mine \| 705\.0 \[700\.0, 710\.0\] \| \+16\.5 % \| 1 \|/);
    assert.match(at100, /\| 2 \| ref \(reference\) \|/);
    assert.match(at100, /By p95 \(lowest first\): 1 mine, 2 ref, 3 slow\./);
    assert.match(report, /K = 6 windows/);
    assert.match(
      report,
      /Not measured \(1 of 4 stacks\):\*\* \*\*gone\*\* — skipped: command gunicorn not found on PATH/,
    );
    assert.match(report, /Little's-law capacity of the Node app at 100 CUs on 2 cores: 200\.0 RPS/);
  });

  test('a cell merges the histograms of its windows, never averages percentiles', () => {
    const set = readResultSet(dir);
    const mine = set.stacks.find((s) => s.stack.name === 'mine')!;
    const cell = stackCells(mine).find((c) => c.level === 100)!;
    assert.equal(cell.windows, 6);
    const expected = newHistogram(3);
    for (const run of mine.runs)
      for (const w of run.windows.filter((x) => x.cus === 100)) {
        expected.add(decode(w.load.cycles[0]!.histogram));
      }
    assert.deepEqual(
      { ...latencyStats(expected), count: expected.totalCount },
      cell.merged,
      'the merged figures are those of one histogram of every request',
    );
    assert.equal(cell.merged.count, cell.requests.succeeded);
    assert.equal(cell.summary.rps.n, 6);
    assert.equal(cell.summary.rps.median, 705);
    assert.ok(cell.summary.rps.confidence >= 0.95);
  });

  test('the RPS chart draws references dashed, intervals and the capacity line', () => {
    const spec = JSON.parse(readFileSync(join(dir, 'charts/rps.vl.json'), 'utf8'));
    const bars = spec.layer[0];
    assert.equal(bars.mark.type, 'rule');
    const mine = bars.data.values.find(
      (v: { stack: string; level: number }) => v.stack === 'mine' && v.level === 100,
    );
    assert.deepEqual([mine.lo, mine.rps, mine.hi], [700, 705, 710]);
    const values = spec.layer[1].data.values as { stack: string; kind: string }[];
    assert.equal(values.find((v) => v.stack === 'ref')?.kind, 'reference');
    assert.deepEqual(spec.layer[1].encoding.strokeDash.scale.range[1], [6, 4]);
    assert.deepEqual(
      spec.layer[2].data.values.map((v: { rps: number }) => v.rps),
      [200, 200],
    );
    assert.equal(spec.layer[3].mark.text, CAPACITY_LABEL, 'the capacity line says what it is');
    const svg = readFileSync(join(dir, 'charts/rps.svg'), 'utf8');
    assert.match(svg, /^<svg[^>]+width="\d+"/);
    assert.match(svg, /stroke-dasharray="6,4"/);
    assert.ok(svg.includes(CAPACITY_LABEL.replace("'", '&#x27;')) || svg.includes(CAPACITY_LABEL));
    // the kind legend's symbols are strokes that show (no stroke: an invisible legend)
    const kind = svg.slice(svg.indexOf("aria-label=\"Symbol legend titled 'kind'"));
    assert.match(
      kind.slice(0, 3000),
      /role-legend-symbol[\s\S]*?stroke="black"[\s\S]*?>reference</,
    );
  });

  test('a bad manifest is rejected with what is wrong', () => {
    assert.deepEqual(validateManifest(readResultSet(dir).manifest), []);
    const problems = validateManifest({ schema: 'stackbench.manifest/2', setId: 1 });
    assert.ok(problems.includes('manifest.setId: expected a string, got 1'));
    assert.throws(() => readResultSet(join(scratch, 'nope')), { code: 'REPORT_BAD_RESULT_SET' });
  });

  test('a set of an unknown schema is refused, naming the schemas this version reads', () => {
    const future = join(scratch, 'future');
    writeSyntheticSet({ dir: future, stacks: { s: windows(10, 10, 1, 10, 2) } });
    const path = join(future, 'manifest.json');
    writeFileSync(
      path,
      readFileSync(path, 'utf8').replace('stackbench.manifest/2', 'stackbench.manifest/9'),
    );
    assert.throws(() => readResultSet(future), {
      code: 'REPORT_BAD_RESULT_SET',
      message:
        /schema stackbench\.manifest\/9 is not one this version reads \(stackbench\.manifest\/2, stackbench\.manifest\/1\)/,
    });
  });
});

describe('embedded load documents', () => {
  test('a window whose load document has an unknown schema is refused, naming the readable ones', () => {
    const dir = join(scratch, 'load-schema');
    writeSyntheticSet({ dir, stacks: { s: windows(10, 10, 1, 10, 2) } });
    assert.doesNotThrow(() => readResultSet(dir));
    const path = join(dir, 's.json');
    const text = readFileSync(path, 'utf8');
    const changed = text.replace('"stackbench.load/1"', '"stackbench.load/9"');
    assert.notEqual(changed, text, 'the synthetic set embeds load documents');
    writeFileSync(path, changed);
    assert.throws(() => readResultSet(dir), {
      code: 'REPORT_BAD_RESULT_SET',
      message:
        /windows\[0\]\.load\.schema: "stackbench\.load\/9" is not a load document this report reads; expected one of stackbench\.load\/1, stackbench\.load\/2/,
    });
  });
});

describe('sets written before sample windows (schema 1)', () => {
  test('the committed v1 set is read as one window per run and its report rebuilds', async () => {
    const v1 = join(scratch, 'v1');
    cpSync(join(root, 'results/vm/20261126T095509Z-local'), v1, { recursive: true });
    const set = readResultSet(v1);
    assert.equal(set.manifest.method.samples, 1);
    assert.equal(set.manifest.method.order.length, 0);
    const cells = stackCells(set.stacks[0]!);
    assert.deepEqual(
      cells.map((c) => c.windows),
      set.manifest.profile.settings.cycles.map(() => 1),
    );
    await buildReport(v1);
    const report = readFileSync(join(v1, 'report.md'), 'utf8');
    assert.match(report, /written before sample windows \(schema 1\)/);
    assert.match(report, /K = 1 windows/);
  });
});

describe('stable JSON', () => {
  test('sorted keys, fixed decimals, one value per line', () => {
    const text = stableStringify({ b: [1, 2.5], a: { y: 1 / 3, x: -0.0001 }, c: undefined });
    assert.equal(
      text,
      '{\n  "a": {\n    "x": 0.000,\n    "y": 0.333\n  },\n  "b": [\n    1,\n    2.500\n  ]\n}\n',
    );
    assert.deepEqual(JSON.parse(text), { a: { x: 0, y: 0.333 }, b: [1, 2.5] });
  });
});
