/**
 * The A/B verdict: every stack ran as `STACK@base` and `STACK@head` in the same rounds; head /
 * base per stack, cell and metric, one family over the set. Sets are written by the synthetic
 * set builder and read back, so the figures go through the same reading as a real set's.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import {
  type AbRecord,
  abEffectLine,
  abName,
  abRegressions,
  abSideOf,
  abSummaryLine,
  abVerdict,
  buildReport,
  cellGroups,
  formatAbVerdict,
  type Manifest,
  readResultSet,
  validateManifest,
  writeJsonAtomic,
} from '../src/index.js';
import { type WindowSpec, writeSyntheticSet } from './fixtures/synthetic-set.js';

const scratch = mkdtempSync(join(tmpdir(), 'stackbench-ab-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

/** The host's drift per round, ±10 %: shared by both sides of a round. */
const DRIFT = [1, 1.1, 0.9, 1.06, 0.94, 1.08, 0.92, 1.02];
/** A side's own noise per round, ±1.2 %; N2 has the same values as N1 in another order. */
const N1 = [1.01, 0.99, 1.012, 0.988, 1.0, 0.995, 1.005, 0.99];
const N2 = [0.99, 1.005, 0.988, 1.0, 1.012, 0.99, 0.995, 1.01];

interface SideOptions {
  /** Factors of head against base (default 1). */
  rps?: number;
  p95?: number;
  cpu?: number | null;
  users?: number;
}

/**
 * One window per round: RPS 1000 × drift × noise, latency ÷ drift × noise, CPU per request 2 ms
 * × the other noise (or none with `cpu: null`).
 */
function side(noise: number[], cpuNoise: number[], o: SideOptions = {}): WindowSpec[] {
  return DRIFT.map((d, i) => {
    const f = d * noise[i]!;
    return {
      users: o.users ?? 50,
      rps: 500 * (o.rps ?? 1) * f,
      med: (100 * (o.p95 ?? 1)) / f,
      p95: (150 * (o.p95 ?? 1)) / f,
      ...(o.cpu === null ? {} : { cpuMsPerRequest: 2 * (o.cpu ?? 1) * cpuNoise[i]! }),
    };
  });
}

/** A stack's two sides: base with noise N1 (CPU N2), head with N2 (CPU N1) and `head`'s factors. */
function couple(stack: string, head: SideOptions = {}, base: SideOptions = {}) {
  const cpu = head.cpu === null ? { cpu: null } : {};
  return {
    [abName(stack, 'base')]: side(N1, N2, { ...base, ...cpu }),
    [abName(stack, 'head')]: side(N2, N1, head),
  };
}

let sets = 0;
const written = (stacks: Record<string, WindowSpec[]>) =>
  writeSyntheticSet({ dir: join(scratch, `set-${++sets}`), stacks });
const results = (stacks: Record<string, WindowSpec[]>) => readResultSet(written(stacks)).stacks;

const RECORD: AbRecord = {
  base: {
    ref: 'main',
    commit: '0123456789abcdef0123456789abcdef01234567',
    dirty: false,
    versions: { fastify: '5.1.0' },
    env: {},
  },
  head: {
    ref: 'HEAD',
    commit: 'fedcba9876543210fedcba9876543210fedcba98',
    dirty: true,
    versions: { fastify: '5.2.0' },
    env: { STACKBENCH_WRITES: '11000' },
  },
  stacks: ['a', 'b'],
};

/** Adds the A/B record to a written set's manifest, as bench:ab writes it. */
function withAb(dir: string, record: AbRecord = RECORD): Manifest {
  const path = join(dir, 'manifest.json');
  const manifest = JSON.parse(readFileSync(path, 'utf8')) as Manifest;
  manifest.ab = structuredClone(record);
  manifest.stacks = manifest.stacks.map((s) => {
    const ab = abSideOf(s.name);
    return ab ? { ...s, ab } : s;
  });
  writeJsonAtomic(path, manifest);
  return manifest;
}

describe('abSideOf and abName', () => {
  test('split at the last @; only base and head are sides', () => {
    assert.equal(abName('prefork-rr', 'head'), 'prefork-rr@head');
    assert.deepEqual(abSideOf('prefork-rr@base'), { stack: 'prefork-rr', side: 'base' });
    assert.deepEqual(abSideOf('a@node24@base'), { stack: 'a@node24', side: 'base' });
    assert.deepEqual(abSideOf('a@node24@head'), { stack: 'a@node24', side: 'head' });
    for (const name of ['x@node24', 'x', '@base', 'x@Base', 'x@base@node24', 'x@', 'x@heads']) {
      assert.equal(abSideOf(name), null, name);
    }
  });
});

describe('abVerdict', () => {
  test('A = B: every comparison "~", each with a finite resolution', () => {
    const v = abVerdict(results({ ...couple('a'), ...couple('b') }));
    assert.equal(v.effects.length, 6, '2 stacks × 1 cell × RPS, p95, CPU per request');
    assert.deepEqual(
      v.effects.map((e) => e.verdict),
      ['~', '~', '~', '~', '~', '~'],
    );
    assert.deepEqual([v.better, v.worse, v.same], [0, 0, 6]);
    for (const e of v.effects) {
      assert.ok(e.effect.lo < 1 && e.effect.hi > 1, `${e.stack} ${e.metric} interval includes 1`);
      assert.ok(e.effect.paired && e.effect.n === 8, 'paired over the 8 rounds');
      assert.ok(e.effect.resolutionPct > 0 && e.effect.resolutionPct < 5);
    }
    assert.deepEqual(v.cells, [
      {
        workload: 'seed',
        connection: 'keep-alive',
        level: 50,
        resolutionPct: v.cells[0]!.resolutionPct,
        rounds: 8,
      },
    ]);
    assert.ok(Number.isFinite(v.resolutionPct) && v.resolutionPct > 0);
  });

  test('a head with 10 % less RPS in every round is "worse", its interval covers 0.9', () => {
    const v = abVerdict(results({ ...couple('a', { rps: 0.9 }), ...couple('b') }));
    const rps = v.effects.find((e) => e.stack === 'a' && e.metric === 'rps')!;
    assert.equal(rps.verdict, 'worse');
    assert.equal(rps.effect.decided, true);
    assert.ok(Math.abs(rps.effect.ratio - 0.9) < 1e-6, `ratio head/base ${rps.effect.ratio}`);
    assert.ok(rps.effect.lo < 0.9 && rps.effect.hi > 0.9 && rps.effect.hi < 1);
    assert.deepEqual([v.better, v.worse, v.same], [0, 1, 5]);
    // one family over the set: an undecided comparison's interval is at 1 − (R + 1)·α/m
    const same = v.effects.find((e) => e.stack === 'b' && e.metric === 'rps')!;
    assert.ok(Math.abs(same.effect.level - (1 - (2 * 0.05) / 6)) < 1e-12);
    assert.ok(Math.abs(rps.effect.level - (1 - 0.05 / 6)) < 1e-12);
  });

  test('abRegressions: only when the whole interval lies beyond PCT in the worse direction', () => {
    const v = abVerdict(results({ ...couple('a', { rps: 0.9 }), ...couple('b') }));
    const rps = v.effects.find((e) => e.stack === 'a' && e.metric === 'rps')!;
    assert.deepEqual(abRegressions(v, 0), [rps]);
    assert.deepEqual(abRegressions(v, 5), [rps], 'hi < 0.95');
    assert.deepEqual(
      abRegressions(v, 10),
      [],
      'the interval reaches above 0.9: maybe less than 10 %',
    );
    assert.deepEqual(abRegressions(v, 15), []);
    assert.throws(() => abRegressions(v, -1), RangeError);
    assert.throws(() => abRegressions(v, Number.NaN), RangeError);
    // how the bins log it
    assert.match(
      abEffectLine(rps),
      /^a keep-alive @ \d+: RPS head\/base 0\.90\d? \[0\.\d+, 0\.\d+\]$/,
    );
  });

  test('p95 and CPU per request: higher is worse, lower is better', () => {
    const v = abVerdict(results({ ...couple('a', { p95: 1.25, cpu: 0.8 }), ...couple('b') }));
    const of = (metric: string) => v.effects.find((e) => e.stack === 'a' && e.metric === metric)!;
    assert.equal(of('p95').verdict, 'worse');
    assert.ok(of('p95').effect.lo > 1.2 && of('p95').effect.hi < 1.3);
    assert.equal(of('cpuMsPerRequest').verdict, 'better');
    assert.ok(of('cpuMsPerRequest').effect.lo < 0.8 && of('cpuMsPerRequest').effect.hi > 0.8);
    assert.deepEqual(abRegressions(v, 10), [of('p95')], 'lo > 1.1');
    assert.deepEqual(abRegressions(v, 25), [], 'the interval reaches below 1.25');
    assert.deepEqual([v.better, v.worse, v.same], [1, 1, 4]);
  });

  test('CPU per request is serverCpuMs over the finished requests; a set without it has no CPU comparison', () => {
    const stacks = results(couple('a', { cpu: 1.2 }));
    const [group] = cellGroups(stacks);
    const base = group!.stacks.get('a@base')!;
    assert.ok(base.every((x, i) => Math.abs(x.values.cpuMsPerRequest! - 2 * N2[i]!) < 1e-6));
    const v = abVerdict(stacks);
    const cpu = v.effects.find((e) => e.metric === 'cpuMsPerRequest')!;
    assert.equal(cpu.verdict, 'worse');
    assert.ok(Math.abs(cpu.effect.ratio - 1.2) < 1e-6);

    const none = results(couple('a', { cpu: null }));
    assert.equal(cellGroups(none)[0]!.stacks.get('a@head')![0]!.values.cpuMsPerRequest, null);
    assert.deepEqual(
      abVerdict(none).effects.map((e) => e.metric),
      ['rps', 'p95'],
    );
    assert.match(abSummaryLine(abVerdict(none)), /of 2 comparisons: RPS and p95 of 1 stack at/);
  });

  test('a window that served nothing is left out of the pairs and counted', () => {
    const stacks = couple('a');
    stacks['a@head']![2] = { ...stacks['a@head']![2]!, rps: 0 };
    const v = abVerdict(results(stacks));
    const rps = v.effects.find((e) => e.metric === 'rps')!;
    assert.equal(rps.dropped, 1);
    assert.equal(rps.effect.n, 7, 'the round without the head window is not paired');
    assert.equal(v.cells[0]!.rounds, 7);
    assert.equal(rps.verdict, '~');
  });

  test('a stack with one side only, and names that are not sides, are not compared', () => {
    const v = abVerdict(
      results({
        ...couple('a'),
        'c@base': side(N1, N2),
        plain: side(N1, N2),
        'x@node24': side(N2, N1),
      }),
    );
    assert.deepEqual([...new Set(v.effects.map((e) => e.stack))], ['a']);
  });

  test('cells: per connection mode and level, keep-alive first, each with its resolution', () => {
    const stacks = {
      'a@base': [...side(N1, N2, { users: 10 }), ...side(N1, N2, { users: 80 })],
      'a@head': [...side(N2, N1, { users: 10 }), ...side(N2, N1, { users: 80, rps: 0.9 })],
    };
    const v = abVerdict(results(stacks));
    assert.deepEqual(
      v.cells.map((c) => c.level),
      [10, 80],
    );
    assert.equal(v.effects.length, 6);
    assert.equal(v.effects.find((e) => e.level === 80 && e.metric === 'rps')!.verdict, 'worse');
    assert.match(
      abSummaryLine(v),
      /\(of 6 comparisons: RPS, p95 and CPU per request of 1 stack at 2 levels\)/,
    );
  });

  test('several connection modes: the cells of each, keep-alive first', () => {
    const close = (ws: WindowSpec[]) => ws.map((w) => ({ ...w, connection: 'close' as const }));
    const v = abVerdict(
      results({
        'a@base': [...close(side(N1, N2)), ...side(N1, N2)],
        'a@head': [...close(side(N2, N1)), ...side(N2, N1)],
      }),
    );
    assert.deepEqual(
      v.cells.map((c) => `${c.connection} ${c.level}`),
      ['keep-alive 50', 'close 50'],
    );
    assert.match(abSummaryLine(v), /of 1 stack in 2 cells of 2 connection modes\)/);
    const text = formatAbVerdict(v, RECORD);
    assert.ok(text.indexOf('### keep-alive, level 50') < text.indexOf('### close, level 50'));
  });
});

describe('rendering', () => {
  test('the summary line counts per (stack, cell, metric) comparison', () => {
    const v = abVerdict(results({ ...couple('a', { rps: 0.9 }), ...couple('b') }));
    assert.match(
      abSummaryLine(v),
      /^\*\*A\/B, head vs base:\*\* 0 better, 1 worse, 5 ~ \(of 6 comparisons: RPS, p95 and CPU per request of 2 stacks at 1 level\), resolution [\d.]+ % \(median over stacks and levels, RPS\)$/,
    );
    assert.match(abSummaryLine(abVerdict([])), /nothing to compare/);
  });

  test('the section: what base and head are, the method, a table per cell with its resolution', () => {
    const v = abVerdict(results({ ...couple('a', { rps: 0.9 }), ...couple('b') }));
    const text = formatAbVerdict(v, RECORD);
    const lines = text.split('\n');
    assert.equal(lines[0], '## A/B: head against base');
    assert.equal(lines[2], abSummaryLine(v));
    assert.match(text, /^- \*\*base\*\*: `main` at `0123456789ab`$/m);
    assert.match(
      text,
      /^- \*\*head\*\*: `HEAD` at `fedcba987654` with uncommitted changes; app parameters of this side only: STACKBENCH_WRITES=11000$/m,
    );
    assert.match(text, /versions that differ \(base → head\): fastify 5\.1\.0 → 5\.2\.0/);
    for (const words of [
      /per-round ratios/,
      /paired t-test on the logarithms/,
      /Benjamini–Hochberg at 5 % over all of them/,
      /false-coverage-rate intervals/,
      /A `~` is not "equal"/,
    ]) {
      assert.match(text, words);
    }
    assert.match(text, /^### level 50$/m);
    assert.match(
      text,
      /^\| a \| 0\.90\d? \[0\.8\d\d?, 0\.9\d\d?\] \| [\d.]+ \[[\d.]+, [\d.]+\] ~ \| [\d.]+ \[[\d.]+, [\d.]+\] ~ \| 8 \| \*\*worse\*\*: RPS \|$/m,
    );
    assert.match(text, /^\| b \| [^\n]+ ~ \| [^\n]+ ~ \| [^\n]+ ~ \| 8 \| ~ \|$/m);
    assert.match(
      text,
      /^Resolution [\d.]+ % \(median over the stacks of the cell, RPS\); the fewest rounds behind a ratio: 8\.$/m,
    );
    assert.match(formatAbVerdict(v, undefined), /was not recorded/);
  });

  test('report.md of an A/B set: the verdict leads the summary, its section comes before the ranking', async () => {
    const dir = written({ ...couple('a', { rps: 0.9 }), ...couple('b') });
    const manifest = withAb(dir);
    assert.deepEqual(validateManifest(manifest), []);
    await buildReport(dir);
    const report = readFileSync(join(dir, 'report.md'), 'utf8');
    const summary = report.slice(report.indexOf('## Summary'));
    assert.match(
      summary,
      /^## Summary\n\n\*\*A\/B, head vs base:\*\* 0 better, 1 worse, 5 ~ \(of 6 comparisons/,
    );
    const measured = report.indexOf('## What was measured');
    const ab = report.indexOf('## A/B: head against base');
    const ranking = report.indexOf('## Ranking');
    assert.ok(measured < ab && ab < ranking, 'after what was measured, before the ranking');
    assert.match(report, /^### 50 CUs$/m, "levels named with the set's unit");
    assert.match(report, /^\| a \| 0\.900 \[/m);

    const plain = written(couple('a'));
    await buildReport(plain);
    assert.doesNotMatch(readFileSync(join(plain, 'report.md'), 'utf8'), /A\/B/);
  });
});

describe('validateManifest', () => {
  const manifest = () => withAb(written(couple('a')));

  test('accepts a manifest with `ab` and stacks with `ab`', () => {
    const m = manifest();
    assert.deepEqual(m.stacks[0]!.ab, { stack: 'a', side: 'base' });
    assert.deepEqual(validateManifest(m), []);
  });

  test('rejects a malformed `ab`, naming the key', () => {
    const problems = (change: (m: Record<string, unknown>) => void) => {
      const m = manifest() as unknown as Record<string, unknown>;
      change(m);
      return validateManifest(m);
    };
    const ab = (m: Record<string, unknown>) => m.ab as Record<string, Record<string, unknown>>;
    assert.deepEqual(
      problems((m) => {
        ab(m).head!.commit = 42;
      }),
      ['manifest.ab.head.commit: expected a string, got 42'],
    );
    assert.deepEqual(
      problems((m) => {
        ab(m).base!.env = { STACKBENCH_WRITES: 11000 };
      }),
      ['manifest.ab.base.env.STACKBENCH_WRITES: expected a string, got 11000'],
    );
    assert.deepEqual(
      problems((m) => {
        (m.ab as Record<string, unknown>).stacks = 'a';
      }),
      ['manifest.ab.stacks: expected an array of strings, got "a"'],
    );
    assert.deepEqual(
      problems((m) => {
        delete (m.ab as Record<string, unknown>).head;
      }),
      ['manifest.ab.head: missing; expected an object'],
    );
    assert.deepEqual(
      problems((m) => {
        m.ab = 'main..HEAD';
      }),
      ['manifest.ab: expected an object, got "main..HEAD"'],
    );
    assert.deepEqual(
      problems((m) => {
        (m.stacks as Record<string, unknown>[])[1]!.ab = { stack: 'a', side: 'middle' };
      }),
      ['manifest.stacks[1].ab.side: expected one of "base", "head", got "middle"'],
    );
  });
});
