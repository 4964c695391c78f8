/**
 * What the report says the pairs decide: a host that drifts from round to round moves every
 * stack alike, so stacks whose marginal intervals overlap are still ordered by their per-round
 * ratios; stacks that differ by less than the noise are tied, with the difference they could
 * have seen; a twin ties with its original or, changed, ranks below it. Committed sets still
 * render.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import {
  buildReport,
  levelPairs,
  readResultSet,
  renderMarkdown,
  renderResultsIndex,
  stackCells,
} from '../src/index.js';
import { type WindowSpec, writeSyntheticSet } from './fixtures/synthetic-set.js';

const root = resolve(fileURLToPath(import.meta.url), '../../../../..');
const scratch = mkdtempSync(join(tmpdir(), 'stackbench-pairs-report-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

/** The host's drift per round: ±10 %, the same for every stack of a round. */
const DRIFT = [1.0, 0.9, 1.08, 0.95, 1.04, 0.92, 1.1, 0.97];
/** A stack's own jitter per round, ±0.3 %. */
const JITTER = [1.002, 0.998, 1.003, 0.997, 1.001, 0.999, 1.002, 0.998];
/** ±1 % around 1 in another order: what separates two equal stacks round by round. */
const WOBBLE = [1.01, 0.99, 1.012, 0.988, 1.0, 0.99, 1.01, 0.995];
/** Independent ±10 % noise, in three orders (stacks that share nothing round by round). */
const SHUFFLES = [
  [0.9, 1.1, 0.95, 1.05, 1.0, 0.93, 1.07, 0.98],
  [1.06, 0.94, 1.0, 0.91, 1.09, 1.02, 0.96, 1.03],
  [1.0, 1.04, 0.9, 1.08, 0.93, 1.1, 0.97, 0.95],
];

/** One window per round at `users`, RPS `rps` × the round's factor, latency ÷ it. */
function rounds(users: number, rps: number, factors: number[], extra: Partial<WindowSpec> = {}) {
  return factors.map(
    (f): WindowSpec => ({ users, rps: rps * f, med: 100 / f, p95: 150 / f, ...extra }),
  );
}

const times = (xs: number[], ys: number[]) => xs.map((x, i) => x * ys[i]!);

const read = (dir: string) => readFileSync(join(dir, 'report.md'), 'utf8');
const section = (text: string, from: string, to: string) =>
  text.slice(text.indexOf(from), text.indexOf(to, text.indexOf(from) + from.length));

describe('the ranking is what the pairs decide', () => {
  // a is 5 % above b in every round; b and c differ by ±1 % round to round; the host's ±10 %
  // drift makes all three marginal intervals overlap
  const ordered = join(scratch, 'ordered');
  writeSyntheticSet({
    dir: ordered,
    reference: ['b'],
    stacks: {
      a: rounds(50, 200, times(DRIFT, JITTER)),
      b: rounds(50, 190, DRIFT),
      c: rounds(50, 190, times(DRIFT, WOBBLE)),
    },
  });
  // three stacks of the same mean with independent ±10 % noise: nothing to decide
  const tied = join(scratch, 'tied');
  writeSyntheticSet({
    dir: tied,
    stacks: {
      a: rounds(50, 200, SHUFFLES[0]!),
      b: rounds(50, 200, SHUFFLES[1]!),
      c: rounds(50, 200, SHUFFLES[2]!),
    },
  });

  test('overlapping intervals, yet ordered: the summary names the order and its certainty', async () => {
    await buildReport(ordered);
    const set = readResultSet(ordered);
    const cells = set.stacks.flatMap(stackCells);
    const a = cells.find((c) => c.stack === 'a')!.summary.rps;
    const b = cells.find((c) => c.stack === 'b')!.summary.rps;
    assert.ok(a.lo < b.hi, 'the marginal intervals overlap: they alone would tie a and b');
    const [level] = levelPairs(set.stacks, cells);
    assert.equal(level!.lead.pairs.decided, 2, 'a / b and a / c are decided, b / c is not');
    const summary = section(read(ordered), '## Summary', '## What was measured');
    assert.match(
      summary,
      /^- 50 CUs: 1 a [\d.]+ \[[\d.]+, [\d.]+\] RPS; =2 [bc] [\d.]+ \[[\d.]+, [\d.]+\] RPS, =2 [bc] [\d.]+ \[[\d.]+, [\d.]+\] RPS; 2 of 3 pairs ordered, resolution [\d.]+ % \(median over pairs(; worst [\d.]+ %)?\), 8 windows per stack$/m,
    );
    assert.doesNotMatch(summary, /tied —/);
  });

  test('under the level: the ordered pairs with ratio and interval, the others with their resolution', () => {
    const at50 = section(read(ordered), '### 50 CUs', '## Across stacks');
    assert.match(at50, /\| 1 \| a \| [\d.]+ \[[\d.]+, [\d.]+\] \| \+5\.\d % \|/);
    assert.match(at50, /\| =2 \| b \(reference\) \| [^\n]+ \| baseline \|/);
    assert.match(at50, /RPS: 2 of 3 pairs ordered, resolution /);
    assert.match(
      at50,
      /^\| a \/ b \| 1\.0[45]\d? \[1\.0\d+, 1\.0\d+\] \| \*\*ordered\*\* \|/m,
      'the better stack first',
    );
    assert.match(
      at50,
      /^\| [bc] \/ [bc] \| [\d.]+ \[[\d.]+, [\d.]+\] \| tied \(resolution [\d.]+ %\) \|/m,
    );
    const intro = section(read(ordered), '## Ranking', '### 50 CUs');
    for (const words of [
      /round by round/,
      /Benjamini–Hochberg at 5 % over the pairs of the level/,
      /false-coverage-rate intervals, Benjamini–Yekutieli 2005/,
      /\*\*resolution\*\* is the smallest difference/,
    ]) {
      assert.match(intro, words);
    }
  });

  test('no pair decided: "all tied", always with the difference it could have seen', async () => {
    await buildReport(tied);
    const summary = section(read(tied), '## Summary', '## What was measured');
    assert.match(
      summary,
      /^- 50 CUs: all 3 stacks tied — could have seen differences of [\d.]+ % or more \(resolution, median over pairs(; worst [\d.]+ %)?\); medians from [\d.]+ RPS \([abc]\) to [\d.]+ RPS \([abc]\), 8 windows per stack$/m,
    );
    const at50 = section(read(tied), '### 50 CUs', '## Across stacks');
    assert.match(at50, /\| =1 \| a \|/);
    assert.match(at50, /RPS: 0 of 3 pairs ordered, resolution [\d.]+ %/);
    const tiedRows = at50.match(
      /^\| [abc] \/ [abc] \| [^\n|]+ \| tied \(resolution [\d.]+ %\) \|/gm,
    );
    assert.equal(tiedRows?.length, 3, 'every pair tied, each with its resolution');
  });

  test('the results index names the leaders the pairs decide, or "all tied" with its resolution', () => {
    const index = join(scratch, 'index');
    writeSyntheticSet({
      dir: join(index, 'host', '20260101T000000Z-h1'),
      stacks: {
        a: rounds(50, 200, times(DRIFT, JITTER)),
        b: rounds(50, 190, DRIFT),
      },
    });
    writeSyntheticSet({
      dir: join(index, 'host', '20260102T000000Z-h1'),
      startedAt: '2026-01-02T00:00:00.000Z',
      stacks: { a: rounds(50, 200, SHUFFLES[0]!), b: rounds(50, 200, SHUFFLES[1]!) },
    });
    const rows = renderResultsIndex(index)
      .split('\n')
      .filter((l) => l.startsWith('| [2026'));
    assert.match(rows[0]!, /\| 50 CUs: all 2 tied \(resolution [\d.]+ %\) \|$/);
    assert.match(rows[1]!, /\| 50 CUs: a [\d.]+ \[[\d.]+, [\d.]+\] RPS \|$/);
  });
});

describe('the twin', () => {
  const twinSet = (dir: string, factor: number, env: Record<string, string>) =>
    writeSyntheticSet({
      dir: join(scratch, dir),
      twins: { 'prefork-rr~twin': { stack: 'prefork-rr', env } },
      stacks: {
        'prefork-rr': [...rounds(10, 100, DRIFT), ...rounds(80, 180, DRIFT, { hostBusyPct: 95 })],
        'prefork-rr~twin': [
          ...rounds(10, 100 * factor, times(DRIFT, WOBBLE)),
          ...rounds(80, 180 * factor, times(DRIFT, [...WOBBLE].reverse()), { hostBusyPct: 95 }),
        ],
        other: [...rounds(10, 90, times(DRIFT, JITTER)), ...rounds(80, 150, DRIFT)],
      },
    });

  test('an identical twin ties with its original in every cell, each tie with its resolution', async () => {
    const dir = twinSet('identical', 1, {});
    await buildReport(dir);
    const report = read(dir);
    assert.match(
      section(report, '## Summary', '## What was measured'),
      /^- Twin: `prefork-rr~twin` \(an identical copy of prefork-rr\) tied with prefork-rr in 2 of 2 cells \(expected: all\)\.$/m,
    );
    const twin = section(report, '## The twin', '## Across stacks');
    assert.match(
      twin,
      /\| 10 \| [\d.]+ \[[\d.]+, [\d.]+\] \| tied \(resolution [\d.]+ %\) \| [\d.]+ \[[\d.]+, [\d.]+\] \| tied \(resolution [\d.]+ %\) \| no \|/,
    );
    assert.match(twin, /\| 80 \| [^\n]+ \| yes \|/);
  });

  test('a slowed twin ranks below its original, also where the host was CPU-bound', async () => {
    const dir = twinSet('slowed', 0.85, { STACKBENCH_WRITES: '11000' });
    await buildReport(dir);
    const report = read(dir);
    assert.match(
      section(report, '## Summary', '## What was measured'),
      /^- Twin: `prefork-rr~twin` \(prefork-rr with STACKBENCH_WRITES=11000\) ranked below prefork-rr in 2 of 2 cells; of the 1 cell where the host was CPU-bound \(half or more of the pair's windows above 90 %\), 1\.$/m,
    );
    assert.match(
      section(report, '## The twin', '## Across stacks'),
      /\| 10 \| 0\.8\d+ \[0\.8\d+, 0\.8\d+\] \| \*\*slower\*\* \|/,
    );
  });

  test('a set without a twin has no twin section', () => {
    assert.doesNotMatch(read(join(scratch, 'ordered')), /## The twin|- Twin:/);
  });
});

describe('committed result sets', () => {
  test('every committed set still renders, its summary saying what the pairs decide', () => {
    const host = join(root, 'results', 'vm');
    const dirs = readdirSync(host)
      .map((d) => join(host, d))
      .filter((d) => existsSync(join(d, 'manifest.json')));
    assert.ok(dirs.length > 0, 'there are committed sets');
    for (const dir of dirs) {
      const text = renderMarkdown(readResultSet(dir), []);
      const summary = section(text, '## Summary', '## What was measured');
      const lines = summary.split('\n').filter((l) => l.startsWith('- '));
      assert.ok(lines.length > 0, `${dir}: the summary has a line per level`);
      for (const line of lines) {
        assert.match(
          line,
          /pairs? ordered, resolution|tied — could have seen|no pair has the windows to be compared|the only stack measured/,
          `${dir}: ${line}`,
        );
      }
      // the noise section is there exactly when the set's windows carry noise readings
      const set = readResultSet(dir);
      const noisy = set.stacks.some((r) => r.runs.some((run) => run.windows.some((w) => w.noise)));
      if (noisy)
        assert.match(text, /## The host during the windows/, `${dir}: noise readings shown`);
      else
        assert.doesNotMatch(
          text,
          /## The host during the windows/,
          `${dir}: no readings, no section`,
        );
    }
  });
});
