/**
 * What a reader of report.md and a pull-request reviewer see: summary first, the notices at the
 * top, every figure across stacks, no empty chart, legends that show, versions as numbers, and
 * the results index and compare.md of a new set.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import {
  buildReport,
  renderResultsIndex,
  versionNumber,
  writeResultsIndex,
  writeSetCompare,
} from '../src/index.js';
import { type WindowSpec, writeSyntheticSet } from './fixtures/synthetic-set.js';

const scratch = mkdtempSync(join(tmpdir(), 'stackbench-readability-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

/** Six windows (rounds), RPS rising by `step`, or in the order given (no shared trend). */
const windows = (
  users: number,
  rps: number,
  step: number,
  med: number,
  extra: Partial<WindowSpec> = {},
  order?: number[],
) =>
  Array.from({ length: 6 }, (_, i) => ({
    users,
    rps: rps + (order?.[i] ?? i) * step,
    med,
    p95: med * 1.5,
    ...extra,
  }));

const read = (dir: string, name = 'report.md') => readFileSync(join(dir, name), 'utf8');

describe('report.md, summary first', () => {
  const dir = join(scratch, 'results', 'test-host', '20260102T000000Z-h1');
  writeSyntheticSet({
    dir,
    reference: ['ref'],
    skipped: {
      gone: 'command nginx not found on PATH; to install it: sudo scripts/provision-host.sh',
    },
    host: {
      loadBefore: { seconds: 1, busyPct: 42.5, load1: 1.7, load5: 1.2 },
      os: 'Debian GNU/Linux 12 (bookworm)',
      governor: null,
      tunables: { 'net.core.somaxconn': '4096' },
    },
    versions: {
      ref: { gunicorn: 'gunicorn (version 20.1.0)', nginx: 'nginx version: nginx/1.22.1' },
    },
    startedAt: '2026-01-02T00:00:00.000Z',
    stacks: {
      // 50 CUs: all three overlap (all tied); 100 CUs: mine clearly first, busy host in 2 windows
      mine: [
        ...windows(50, 400, 2, 100),
        ...windows(100, 700, 2, 120, { hostBusyPct: 95 }).map((w, i) =>
          i < 4 ? { ...w, hostBusyPct: 50 } : w,
        ),
      ],
      ref: [...windows(50, 402, 2, 101, {}, [3, 0, 5, 1, 4, 2]), ...windows(100, 600, 2, 140)],
      other: [...windows(50, 401, 3, 100, {}, [1, 4, 0, 5, 2, 3]), ...windows(100, 500, 2, 160)],
    },
  });
  let report = '';

  test('sections in reading order, notices at the top', async () => {
    await buildReport(dir);
    report = read(dir);
    const at = (s: string) => {
      const i = report.indexOf(s);
      assert.ok(i >= 0, `report.md has ${s}`);
      return i;
    };
    const order = [
      '⚠️ **Not measured',
      '⚠️ **Busy host',
      '## Summary',
      '## What was measured',
      '## Ranking',
      '## Across stacks',
      '## mine',
    ];
    const positions = order.map(at);
    assert.deepEqual(
      [...positions].sort((a, b) => a - b),
      positions,
      'in this order',
    );
    assert.match(
      report,
      /\*\*gone\*\* — skipped: command nginx not found on PATH; to install it: sudo scripts\/provision-host\.sh/,
    );
    assert.match(
      report,
      /Busy host:\*\* 42\.5 % of its CPU time was busy in the 1 s before the set started/,
    );
  });

  test('the summary orders the stacks as the pairs decide, ties with their resolution', () => {
    const summary = report.slice(
      report.indexOf('## Summary'),
      report.indexOf('## What was measured'),
    );
    assert.match(
      summary,
      /- 50 CUs: all 3 stacks tied — could have seen differences of [\d.]+ % or more \(resolution, median over pairs(; worst [\d.]+ %)?\); medians from 405\.0 RPS \(mine\) to 408\.5 RPS \(other\), 6 windows per stack$/m,
    );
    assert.match(
      summary,
      /- 100 CUs: 1 mine 705\.0 \[700\.0, 710\.0\] RPS; 2 ref 605\.0 \[600\.0, 610\.0\] RPS; 3 other 505\.0 \[500\.0, 510\.0\] RPS; 3 of 3 pairs ordered, resolution [\d.]+ % \(median over pairs(; worst [\d.]+ %)?\), 6 windows per stack$/m,
    );
  });

  test('what was measured: host, OS, load, driver, client timeout, topology', () => {
    const measured = report.slice(
      report.indexOf('## What was measured'),
      report.indexOf('## Ranking'),
    );
    for (const row of [
      /\| topology \| local: stacks and load driver on one host \(test-host\) \|/,
      /\| OS, kernel \| Debian GNU\/Linux 12 \(bookworm\), Linux 6\.0 \|/,
      /\| CPU governor \| not exposed/,
      /\| kernel settings \| net\.core\.somaxconn 4096 \|/,
      /\| load before the run \| 42\.5 % busy over 1 s; load average 1\.7 \(1 min\), 1\.2 \(5 min\) \|/,
      /\| windows per cell \(K\) \| 6 of 10 s \|/,
      /\| client timeout \| 10 s per request \|/,
      /\| connection modes \| keep-alive \|/,
    ]) {
      assert.match(measured, row);
    }
  });

  test('saturation per cell, every figure across stacks, versions as numbers', () => {
    const at100 = report.slice(report.indexOf('### 100 CUs'), report.indexOf('## Across stacks'));
    assert.match(at100, /\| 1 \| mine \|[^\n]*\| host 2\/6 \| 6 \|/);
    assert.match(at100, /\| 2 \| ref \(reference\) \|[^\n]*\| – \| 6 \|/);
    const across = report.slice(report.indexOf('## Across stacks'), report.indexOf('## mine'));
    for (const metric of ['RPS', 'p50 ms', 'p95 ms', 'p99 ms', 'max ms']) {
      assert.match(
        across,
        new RegExp(`\\*\\*${metric}\\*\\*\\n\\n\\| stack \\| 50 CUs \\| 100 CUs \\|`),
      );
    }
    assert.match(across, /\| mine \| 405\.0 \[400\.0, 410\.0\] \| 705\.0 \[700\.0, 710\.0\] \|/);
    assert.match(report, /Versions: gunicorn 20\.1\.0, nginx 1\.22\.1\./);
  });

  test('no chart is empty: nothing failed is a sentence, every chart has data and marks', () => {
    assert.match(
      report,
      /Failed requests over concurrent users: no request failed in any of the 36 windows\./,
    );
    const charts = readdirSync(join(dir, 'charts'));
    assert.ok(!charts.includes('failures.svg') && !charts.includes('failures.vl.json'));
    for (const name of charts.filter((n) => n.endsWith('.vl.json'))) {
      const spec = JSON.parse(read(dir, `charts/${name}`));
      const data = [spec.data, ...(spec.layer ?? []).map((l: { data?: unknown }) => l.data)].filter(
        Boolean,
      );
      assert.ok(
        data.some((d: { values: unknown[] }) => d.values.length > 0),
        `${name} has data`,
      );
      const svg = read(dir, `charts/${name.replace('.vl.json', '.svg')}`);
      assert.match(svg, /role-mark/, `${name} draws marks`);
      assert.match(
        report,
        new RegExp(`charts/${name.replace('.vl.json', '.svg')}`),
        `${name} is shown`,
      );
    }
    assert.ok(charts.includes('rps-intervals.svg') && charts.includes('latency.svg'));
    const latency = JSON.parse(read(dir, 'charts/latency.vl.json'));
    assert.deepEqual(
      latency.spec.layer[0].encoding.x2,
      { field: 'hi' },
      'error bars: the 95 % intervals',
    );
    assert.deepEqual(
      [...new Set(latency.data.values.map((v: { statistic: string }) => v.statistic))],
      ['p95', 'max'],
    );
  });

  test('the level axis starts at the first level, not at 0', () => {
    // every quantitative axis over the levels (the interval charts facet by level instead)
    const levelScales = (node: unknown): unknown[] =>
      node && typeof node === 'object'
        ? [
            ...((node as { field?: unknown }).field === 'level' &&
            (node as { type?: unknown }).type === 'quantitative'
              ? [(node as { scale?: unknown }).scale]
              : []),
            ...Object.values(node).flatMap(levelScales),
          ]
        : [];
    const specs = readdirSync(join(dir, 'charts')).filter((n) => n.endsWith('.vl.json'));
    const scales = specs.flatMap((n) => levelScales(JSON.parse(read(dir, `charts/${n}`))));
    assert.ok(
      scales.length >= specs.length - 1,
      `${scales.length} level axes in ${specs.length} charts`,
    );
    for (const scale of scales) assert.deepEqual(scale, { zero: false });
  });

  test('duration charts share one y axis', () => {
    const domains = readdirSync(join(dir, 'charts'))
      .filter((n) => n.startsWith('durations-') && n.endsWith('.vl.json'))
      .map((n) =>
        JSON.stringify(JSON.parse(read(dir, `charts/${n}`)).layer[0].encoding.y.scale.domain),
      );
    assert.equal(domains.length, 3);
    assert.equal(new Set(domains).size, 1, domains.join(' '));
  });

  test('stack × runtime pairs that cannot run are one line; a missing runtime keeps its fix', async () => {
    const pairs = join(scratch, 'pairs');
    writeSyntheticSet({ dir: pairs, stacks: { 'a@node24': windows(10, 100, 1, 50) } });
    const path = join(pairs, 'manifest.json');
    const manifest = JSON.parse(readFileSync(path, 'utf8'));
    const runtime = (name: string, version: string | null) => ({
      name,
      engine: name.replace(/\d+$/, ''),
      version,
      source: version ? 'npm package' : null,
    });
    const skipped = (name: string, reason: string, rt: ReturnType<typeof runtime>) => ({
      name,
      title: 't',
      reference: false,
      status: 'skipped',
      reason,
      versions: {},
      stack: name.split('@')[0],
      runtime: rt,
    });
    manifest.stacks.push(
      skipped('b@bun', 'does not run on bun: why', runtime('bun', '1.4.5')),
      skipped('c@deno', 'does not run on deno: why', runtime('deno', '2.9.6')),
      skipped(
        'a@node22',
        'runtime node22 is not installed: npm run runtimes:install',
        runtime('node22', null),
      ),
    );
    writeFileSync(path, JSON.stringify(manifest));
    await buildReport(pairs);
    const top = read(pairs).slice(0, read(pairs).indexOf('## Summary'));
    assert.match(
      top,
      /⚠️ \*\*Not measured \(1 of 4 stacks\):\*\* \*\*a@node22\*\* — skipped: runtime node22 is not installed: npm run runtimes:install\./,
    );
    assert.match(
      top,
      /2 stack × runtime pairs do not run on that runtime and were not measured \(each one's section below says why\): b@bun, c@deno\./,
    );
  });

  test('failures draw a chart when there are some', async () => {
    const failing = join(scratch, 'failing');
    writeSyntheticSet({ dir: failing, stacks: { s: windows(10, 100, 1, 50, { failed: 3 }) } });
    await buildReport(failing);
    assert.ok(existsSync(join(failing, 'charts', 'failures.svg')));
    assert.match(
      read(failing),
      /!\[Failed requests over concurrent users\]\(charts\/failures\.svg\)/,
    );
  });
});

describe('pull-request review: compare.md and the results index', () => {
  const root = join(scratch, 'pr-results');
  const set = (id: string, startedAt: string, hash: string, rps: number) =>
    writeSyntheticSet({
      dir: join(root, 'test-host', id),
      hash,
      startedAt,
      stacks: { a: windows(10, rps, 1, 50), b: windows(10, 100, 1, 50) },
    });
  const older = set('20260101T000000Z-h1', '2026-01-01T00:00:00.000Z', 'h1', 100);
  const other = set('20260102T000000Z-h2', '2026-01-02T00:00:00.000Z', 'h2', 100);
  const newer = set('20260103T000000Z-h1', '2026-01-03T00:00:00.000Z', 'h1', 150);

  test('compare.md against the newest earlier comparable set, or why there is none', () => {
    assert.equal(writeSetCompare(newer, root).base, older, 'h2 is another profile: skipped');
    const text = read(newer, 'compare.md');
    assert.match(text, /^# Compared with `20260101T000000Z-h1`/);
    assert.match(
      text,
      /--base pr-results\/test-host\/20260101T000000Z-h1 --head pr-results\/test-host\/20260103T000000Z-h1/,
    );
    assert.match(
      text,
      /\| a \| 10 \| RPS \| 102\.5 \[100\.0, 105\.0\] n=6 \| 152\.5 \[150\.0, 155\.0\] n=6 \| \*\*\+48\.8 %\*\* ✅ better/,
    );
    assert.equal(writeSetCompare(older, root).base, null);
    assert.match(
      read(older, 'compare.md'),
      /No set to compare `20260101T000000Z-h1` with: no earlier complete set/,
    );
    assert.equal(writeSetCompare(other, root).base, null);
    assert.match(
      read(other, 'compare.md'),
      /none of the 1 earlier complete sets has profile test with hash h2/,
    );
  });

  test('the index lists every set newest first, with its headline and links', () => {
    const path = writeResultsIndex(root);
    assert.equal(path, join(root, 'README.md'));
    const text = read(root, 'README.md');
    const rows = text.split('\n').filter((l) => l.startsWith('| [2026'));
    assert.deepEqual(
      rows.map((r) => /\[(\d+T\d+Z-h\d)\]/.exec(r)?.[1]),
      ['20260103T000000Z-h1', '20260102T000000Z-h2', '20260101T000000Z-h1'],
    );
    assert.match(
      rows[0]!,
      /\(test-host\/20260103T000000Z-h1\/report\.md\) · \[compare\]\(test-host\/20260103T000000Z-h1\/compare\.md\)/,
    );
    assert.match(rows[0]!, /\| 10 CUs: a 152\.5 \[150\.0, 155\.0\] RPS \|$/);
    assert.equal(renderResultsIndex(root), text, 'a pure function of the sets');
  });

  test('versions are numbers, whatever the tool printed', () => {
    assert.equal(versionNumber('gunicorn (version 20.1.0)'), '20.1.0');
    assert.equal(versionNumber('nginx version: nginx/1.22.1'), '1.22.1');
    assert.equal(versionNumber('Python 3.11.2'), '3.11.2');
    assert.equal(versionNumber('v20.20.2'), '20.20.2');
    assert.equal(versionNumber('1.2.3-rc.1 (build)'), '1.2.3-rc.1');
    assert.equal(versionNumber('no number here'), 'no number here');
  });
});
