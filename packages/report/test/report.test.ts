import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { buildReport, readResultSet, stableStringify, validateManifest } from '../src/index.js';
import { writeSyntheticSet } from './fixtures/synthetic-set.js';

const scratch = mkdtempSync(join(tmpdir(), 'stackbench-report-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

const files = (dir: string) =>
  ['report.md', ...readdirSync(join(dir, 'charts')).map((n) => `charts/${n}`)]
    .sort()
    .map((n) => [n, readFileSync(join(dir, n), 'utf8')] as const);

describe('report', () => {
  const dir = writeSyntheticSet({
    dir: join(scratch, 'set'),
    reference: ['ref'],
    stacks: {
      mine: [
        [
          { users: 50, rps: 400.123456, med: 101.5, p95: 130 },
          { users: 100, rps: 700, med: 120, p95: 200, failed: 7 },
        ],
      ],
      ref: [
        [
          { users: 50, rps: 380, med: 103, p95: 140 },
          { users: 100, rps: 650, med: 140, p95: 260 },
        ],
      ],
    },
  });

  test('report.md and charts, byte-identical on a rebuild', async () => {
    const built = await buildReport(dir);
    assert.equal(built.charts.length, 8);
    const first = files(dir);
    await buildReport(dir);
    assert.deepEqual(files(dir), first);
    const report = readFileSync(join(dir, 'report.md'), 'utf8');
    assert.match(
      report,
      /\| 50 \| 400\.1 \| 100\.00 \| 111\.7 \| 50\.8 \| 81\.2 \| 101\.5 \| 117\.0 \| 130\.0 \| 260\.0 \|/,
    );
    assert.match(report, /\| 100 \| 700\.0 \| 99\.90 \|/, 'success % counts failures');
    assert.match(report, /## ref \(reference\)/);
    assert.match(report, /!\[Requests per second over concurrent users\]\(charts\/rps\.svg\)/);
    assert.match(report, /Little's-law capacity at 100 CUs on 2 cores: 200\.0 RPS/);
  });

  test('the RPS chart draws references dashed and the capacity line', () => {
    const spec = JSON.parse(readFileSync(join(dir, 'charts/rps.vl.json'), 'utf8'));
    const values = spec.layer[0].data.values as { stack: string; kind: string }[];
    assert.equal(values.find((v) => v.stack === 'ref')?.kind, 'reference');
    assert.equal(values.find((v) => v.stack === 'mine')?.kind, 'stackbench');
    assert.deepEqual(spec.layer[0].encoding.strokeDash.scale.range[1], [6, 4]);
    // capacity = min(CUs / 0.110 s, 2 cores / 0.010 s) = 454.5 at 50 CUs, 200 at 100 CUs
    assert.deepEqual(
      spec.layer[1].data.values.map((v: { rps: number }) => v.rps),
      [200, 200],
    );
    const svg = readFileSync(join(dir, 'charts/rps.svg'), 'utf8');
    assert.match(svg, /^<svg[^>]+width="\d+"/);
    assert.match(svg, /stroke-dasharray="6,4"/);
  });

  test('a bad manifest is rejected with what is wrong', () => {
    assert.deepEqual(validateManifest(readResultSet(dir).manifest), []);
    const problems = validateManifest({ schema: 'stackbench.manifest/1', setId: 1 });
    assert.ok(problems.includes('manifest.setId: missing or of the wrong type'));
    assert.throws(() => readResultSet(join(scratch, 'nope')), { code: 'REPORT_BAD_RESULT_SET' });
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
