/**
 * A new paired metric is one entry of the metric registry: a synthetic one (p90, read from the
 * load document every window embeds) added to a copy of the registry appears, in registry order,
 * in the level ranks, the pair table, the ranking, the twin's table and the A/B section — through
 * the registry parameter alone (registryCells, levelPairs, abVerdict, renderMarkdown), without a
 * line of those files naming it. The default registry shows none of it.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import {
  abName,
  abSideOf,
  abVerdict,
  formatAbVerdict,
  LEAD_METRIC,
  levelPairs,
  type Manifest,
  METRIC_REGISTRY,
  type MetricDef,
  type MetricRegistry,
  readResultSet,
  registryCells,
  renderMarkdown,
  writeJsonAtomic,
} from '../src/index.js';
import { pairTable } from '../src/pair-table.js';
import { type WindowSpec, writeSyntheticSet } from './fixtures/synthetic-set.js';

const scratch = mkdtempSync(join(tmpdir(), 'stackbench-paired-metric-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

const P90: MetricDef = {
  key: 'p90',
  label: 'p90 ms',
  prose: 'p90',
  short: 'p90',
  better: -1,
  unit: 'ms',
  of: (w) => w.load.cycles[0]!.latencyMs.p90,
  always: false,
  paired: true,
  ab: true,
};
/** The registry with p90 between p50 and p95, and with p90 last. */
const WITH_P90: MetricRegistry = METRIC_REGISTRY.flatMap((m) => (m.key === 'p95' ? [P90, m] : [m]));
const P90_LAST: MetricRegistry = [...METRIC_REGISTRY, P90];

/** The host's drift per round, shared by every stack of a round; two stacks' own ±1 % noise. */
const DRIFT = [1, 1.1, 0.9, 1.06, 0.94, 1.08, 0.92, 1.02];
const N1 = [1.01, 0.99, 1.012, 0.988, 1.0, 0.995, 1.005, 0.99];
const N2 = [0.99, 1.005, 0.988, 1.0, 1.012, 0.99, 0.995, 1.01];

/**
 * One window per round: RPS `rps` × drift × noise, latency ÷ (rps / 200) × drift × noise (a
 * faster stack answers sooner).
 */
const rounds = (rps: number, noise: number[], extra: Partial<WindowSpec> = {}) =>
  DRIFT.map((d, i): WindowSpec => {
    const f = d * noise[i]!;
    const speed = (rps / 200) * f;
    return { users: 50, rps: rps * f, med: 100 / speed, p95: 150 / speed, ...extra };
  });

// a and its identical twin 10 % ahead of b in every round: ordered on every metric, the twin tied
const pairsDir = writeSyntheticSet({
  dir: join(scratch, 'pairs'),
  twins: { 'a~twin': { stack: 'a', env: {} } },
  stacks: { a: rounds(220, N1), 'a~twin': rounds(220, N2), b: rounds(200, N2.toReversed()) },
});
const pairsSet = readResultSet(pairsDir);

// an A/B set: head 10 % slower than base in every round (RPS down, latency up)
const abDir = writeSyntheticSet({
  dir: join(scratch, 'ab'),
  stacks: {
    [abName('a', 'base')]: rounds(200, N1, { cpuMsPerRequest: 2 }),
    [abName('a', 'head')]: rounds(180, N2, { cpuMsPerRequest: 2 }),
  },
});
const manifestPath = join(abDir, 'manifest.json');
const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as Manifest;
manifest.ab = {
  base: { ref: 'main', commit: 'a'.repeat(40), dirty: false, versions: {}, env: {} },
  head: { ref: 'HEAD', commit: 'b'.repeat(40), dirty: false, versions: {}, env: {} },
  stacks: ['a'],
};
manifest.stacks = manifest.stacks.map((s) => ({ ...s, ab: abSideOf(s.name)! }));
writeJsonAtomic(manifestPath, manifest);
const abSet = readResultSet(abDir);

const levelsWith = (registry: MetricRegistry) => {
  const cells = pairsSet.stacks.flatMap((s) => registryCells(s, registry));
  return levelPairs(pairsSet.stacks, cells, registry);
};
const rowOf = (text: string, start: string) => text.split('\n').find((l) => l.startsWith(start));

describe('a synthetic paired metric, through the registry parameter alone', () => {
  test('the level ranks: one entry per paired metric, in registry order, ranked in its better direction', () => {
    assert.deepEqual(
      levelsWith(METRIC_REGISTRY)[0]!.byMetric.map((m) => m.metric.key),
      ['rps', 'p95'],
      'the default registry: no p90',
    );
    const [level] = levelsWith(WITH_P90);
    assert.deepEqual(
      level!.byMetric.map((m) => m.metric.key),
      ['rps', 'p90', 'p95'],
    );
    assert.equal(level!.lead.metric.key, LEAD_METRIC);
    const p90 = level!.byMetric[1]!;
    assert.equal(p90.pairs.metric, 'p90');
    assert.equal(p90.pairs.total, 3);
    const rankOf = (stack: string) => p90.ranked.find((r) => r.cell.stack === stack)!;
    // lower is better: b, slower in every round, ranks below a and its twin, which tie
    assert.equal(rankOf('b').rank, 3);
    assert.equal(rankOf('a').rank, 1);
    assert.ok(rankOf('a').tied && rankOf('a~twin').tied);
    assert.deepEqual(
      p90.ranked.map((r) => r.cell.stack),
      level!.byMetric[2]!.ranked.map((r) => r.cell.stack),
      'p90 orders the stacks as p95 does (both scale with 1 / the round factor)',
    );
  });

  test('the pair table: a ratio and a verdict column for it, where the registry puts it', () => {
    const [level] = levelsWith(WITH_P90);
    const text = pairTable(level!).join('\n');
    assert.match(text, /^\| pair \| RPS ratio \| RPS \| p90 ratio \| p90 \| p95 ratio \| p95 \|$/m);
    assert.match(text, /RPS: \d of 3 pairs ordered[^\n]* p90: \d of 3 pairs ordered[^\n]* p95: /);
    assert.match(text, /for p90 below 1: the first is quicker; for p95 below 1/);
    const ab = rowOf(text, '| a / b |') ?? rowOf(text, '| a~twin / b |');
    assert.match(
      ab ?? '',
      /^\| \S+ \/ b \| 1\.\d+ [^|]+ \| \*\*ordered\*\* \| 0\.\d+ [^|]+ \| \*\*ordered\*\* \|/,
    );
    const last = pairTable(levelsWith(P90_LAST)[0]!).join('\n');
    assert.match(last, /^\| pair \| RPS ratio \| RPS \| p95 ratio \| p95 \| p90 ratio \| p90 \|$/m);
    assert.doesNotMatch(pairTable(levelsWith(METRIC_REGISTRY)[0]!).join('\n'), /p90/);
  });

  test('the report: the ranking and the twin carry it; the default registry does not', () => {
    const text = renderMarkdown(pairsSet, [], WITH_P90);
    assert.match(
      text,
      /^\| RPS rank \| stack \| RPS \| p90 rank \| p90 ms \| p95 rank \| p95 ms \| balance/m,
    );
    assert.match(text, /^By p90 \(lowest first\): =1 a(~twin)?, =1 a(~twin)?, 3 b\. By p95/m);
    assert.match(
      text,
      /A stack's rank is 1 \+ the stacks the pairs decide are faster \(for p90, p95: lower\)/,
    );
    assert.match(
      text,
      /^\| CUs \| RPS twin \/ original \| RPS verdict \| p90 twin \/ original \| p90 verdict \| p95 twin/m,
    );
    assert.match(
      rowOf(text, '| 50 | ') ?? '',
      /\| tied \(resolution [\d.]+ %\) \| [^|]+ \| tied \(resolution [\d.]+ %\) \|/,
    );
    assert.doesNotMatch(renderMarkdown(pairsSet, []), /p90 (rank|twin|ratio)|By p90/);
  });

  test('the A/B section: a column, its verdict and its place in the summary line', () => {
    const v = abVerdict(abSet.stacks, 0.05, WITH_P90);
    assert.deepEqual(
      v.metrics.map((m) => m.key),
      ['rps', 'p90', 'p95', 'cpuMsPerRequest'],
    );
    const p90 = v.effects.find((e) => e.metric === 'p90')!;
    assert.equal(p90.verdict, 'worse', 'head answers later: p90 up');
    const text = formatAbVerdict(v, manifest.ab);
    assert.match(text, /of \d+ comparisons: RPS, p90, p95 and CPU per request of 1 stack/);
    assert.match(
      text,
      /^\| stack \| RPS head\/base \| p90 head\/base \| p95 head\/base \| CPU\/req head\/base \| rounds \| verdict \|$/m,
    );
    assert.match(text, /Better is a higher RPS and a lower p90, p95 and CPU per request \(/);
    assert.match(
      rowOf(text, '| a |') ?? '',
      /\*\*worse\*\*: RPS, p90, p95$|\*\*worse\*\*: RPS, p90, p95 \|/,
    );
    assert.match(renderMarkdown(abSet, [], WITH_P90), /p90 head\/base/);
    assert.doesNotMatch(renderMarkdown(abSet, []), /p90 head\/base|RPS, p90|p90 rank/);
  });
});
