/**
 * The host during the windows (noise, disturbed and re-run windows), the windows sized by the
 * response time, adaptive sampling in the method, the checks of these new fields, and compare's
 * mark on cells the host disturbed.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import {
  buildReport,
  compareSets,
  formatComparison,
  readResultSet,
  stackCells,
  validateManifest,
  validateStackResult,
} from '../src/index.js';
import { type WindowSpec, writeSyntheticSet } from './fixtures/synthetic-set.js';

const scratch = mkdtempSync(join(tmpdir(), 'stackbench-host-report-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

const DRIFT = [1.0, 0.9, 1.08, 0.95, 1.04, 0.92];
const JITTER = [1.002, 0.998, 1.003, 0.997, 1.001, 0.999];

const rounds = (users: number, rps: number, factors: number[], extra: Partial<WindowSpec> = {}) =>
  factors.map((f): WindowSpec => ({ users, rps: rps * f, med: 100 / f, p95: 150 / f, ...extra }));

const read = (dir: string) => readFileSync(join(dir, 'report.md'), 'utf8');
const section = (text: string, from: string, to: string) =>
  text.slice(text.indexOf(from), text.indexOf(to, text.indexOf(from) + from.length));

const STEAL = 'steal 12.0 % > 5 %';
const FOREIGN = 'foreign CPU 30.0 % > 10 %';

describe('the host during the windows', () => {
  const dir = join(scratch, 'noisy');
  const quiet = { noise: {} };
  // a: its third window disturbed (steal) and run again; the disturbed one measured nonsense
  const a = rounds(
    10,
    200,
    DRIFT.map((d, i) => d * JITTER[i]!),
    quiet,
  );
  a.splice(2, 0, {
    users: 10,
    rps: 20,
    med: 900,
    p95: 1500,
    noise: { stealPct: 12, disturbed: [STEAL] },
    replaced: true,
  });
  // b: its second window disturbed by a foreign process, kept (no re-run)
  const b = rounds(10, 180, DRIFT, quiet).map((w, i) =>
    i === 1 ? { ...w, noise: { foreignCpuPct: 30, disturbed: [FOREIGN] } } : w,
  );
  writeSyntheticSet({
    dir,
    stacks: { a, b },
    settings: { disturbance: { stealPct: 5, foreignPct: 10, rerun: true } },
  });

  test('a re-run window is kept on disk and counted as re-run, never in the statistics', () => {
    const set = readResultSet(dir);
    const stackA = set.stacks.find((s) => s.stack.name === 'a')!;
    const onDisk = stackA.runs.flatMap((r) => r.windows);
    assert.equal(onDisk.length, 7, 'the replaced window is still in the file');
    const replaced = onDisk.find((w) => w.replacedBy !== undefined)!;
    assert.equal(onDisk.find((w) => w.seq === replaced.replacedBy)?.load.cycles[0]?.users, 10);
    const [cell] = stackCells(stackA);
    assert.equal(cell!.windows, 6);
    assert.equal(cell!.replacedWindows, 1);
    assert.ok(!cell!.values.rps.includes(20), 'its RPS is not a sample');
    assert.ok(cell!.summary.rps.lo > 150);
    assert.equal(set.manifest.method.reruns?.[0]?.replacedBy, replaced.replacedBy);
  });

  test('per cell: medians of steal, foreign, driver, stack CPU and run queue; disturbed d of K; re-runs', async () => {
    await buildReport(dir);
    const report = read(dir);
    const host = section(report, '## The host during the windows', '## Across stacks');
    assert.match(host, /more than 5 % of the host's CPU or foreign processes used more than 10 %/);
    assert.match(
      host,
      /\| stack \| CUs \| steal % \| foreign CPU % \| driver CPU % \| stack CPU % \| run queue \| disturbed \| re-run \|/,
    );
    assert.match(
      host,
      /\| a \| 10 \| 0\.5 \| 1\.0 \| 20\.0 \| 40\.0 \| 1\.5 \(max 3\) \| 0 of 6 \| 1 \|/,
    );
    assert.match(
      host,
      /\| b \| 10 \| 0\.5 \| 1\.0 \| 20\.0 \| 40\.0 \| 1\.5 \(max 3\) \| 1 of 6 \| 0 \|/,
    );
    assert.match(host, /Disturbed: b at 10 CUs: foreign CPU 30\.0 % > 10 %\./);
  });

  test('the ranking marks disturbed cells and verdicts that rest on disturbed rounds (†)', () => {
    const report = read(dir);
    const at10 = section(report, '### 10 CUs', '## The host during the windows');
    assert.match(at10, /\| 1 \| a \|[^\n]+\| 1 re-run \| 6 \|/);
    assert.match(at10, /\| 2 \| b \|[^\n]+\| disturbed 1\/6 \| 6 \|/);
    assert.match(at10, /^\| a \/ b \| [\d.]+ \[[\d.]+, [\d.]+\]† \| \*\*ordered\*\* \|/m);
    assert.match(report, /^† The verdict rests on rounds in which the host disturbed a window/m);
  });

  test('the method lists the re-run windows', () => {
    const measured = section(read(dir), '## What was measured', '## Ranking');
    assert.match(measured, /\*\*Re-run windows\*\* \(1\)/);
    assert.match(measured, /^- round 3, a: window \d+ → \d+ \(steal 12\.0 % > 5 %\)$/m);
  });

  test('a set without noise has no such section and no marks', async () => {
    const plain = join(scratch, 'plain');
    writeSyntheticSet({
      dir: plain,
      stacks: { a: rounds(10, 200, DRIFT), b: rounds(10, 180, DRIFT) },
    });
    await buildReport(plain);
    const report = read(plain);
    assert.doesNotMatch(report, /## The host during the windows|†|Re-run windows|Adaptive/);
  });
});

describe('window sizing and adaptive sampling in the method', () => {
  const dir = join(scratch, 'adaptive');
  const sizing = (steady: boolean) => ({
    warmupS: steady ? 1.2 : 3,
    steady,
    warmupRps: 190,
    responseTimeMs: 110,
    plannedS: 10,
    sizedBy: 'responses' as const,
  });
  writeSyntheticSet({
    dir,
    stacks: {
      a: rounds(10, 200, DRIFT).map((w, i) => ({ ...w, sizing: sizing(i !== 0) })),
      b: rounds(10, 180, DRIFT).map((w) => ({ ...w, sizing: sizing(true) })),
    },
    settings: {
      windowSizing: { responsesPerUser: 20, minRequests: 500, maxDurationS: 30, maxWarmupS: 3 },
      adaptive: { budgetS: 600, targetResolutionPct: 5, maxSamples: 8 },
    },
    method: {
      adaptive: {
        initialSamples: 4,
        budgetS: 600,
        targetResolutionPct: 5,
        maxSamples: 8,
        spentS: 420,
        rounds: [
          {
            round: 5,
            cells: [
              { stack: 'a', connection: 'keep-alive', level: 10 },
              { stack: 'b', connection: 'keep-alive', level: 10 },
            ],
            why: ['keep-alive 10 CUs: a ~ b undecided, resolution 7.2 % > 5 %'],
          },
          {
            round: 6,
            cells: [{ stack: 'a', connection: 'keep-alive', level: 10 }],
            why: ['keep-alive 10 CUs: a ~ b undecided, resolution 5.4 % > 5 %'],
          },
        ],
        stopped: 'every cell settled',
      },
    },
  });

  test('load documents of schema /3 are read; the sizing is shown per level', async () => {
    const set = readResultSet(dir);
    assert.equal(set.stacks[0]!.runs[0]!.windows[0]!.load.schema, 'stackbench.load/3');
    await buildReport(dir);
    const measured = section(read(dir), '## What was measured', '## Ranking');
    assert.match(
      measured,
      /\| windows per cell \(K\) \| 4 to start, up to 8 where pairs were undecided \(adaptive\), of 10–30 s \(sized by the response time\) \|/,
    );
    assert.match(
      measured,
      /\*\*Windows sized by the response time\.\*\* Each warm-up lasts until throughput is steady/,
    );
    assert.match(
      measured,
      /\| CUs \| warm-up s \| measured s \| steady \| response time ms \| sized by \|\n[^\n]+\n\| 10 \| 1\.2 \| 10\.0 \| 11 of 12 \| 110\.0 \| responses 12 \|/,
    );
  });

  test('adaptive sampling: the starting K, budget and spending, each extra round and why, the stop', () => {
    const measured = section(read(dir), '## What was measured', '## Ranking');
    assert.match(measured, /\*\*K = 4 windows\*\* to start/);
    assert.match(
      measured,
      /\*\*Adaptive sampling\.\*\* Every cell started with K = 4 windows; [^\n]*resolution reached 5 %, at most 8 windows a cell, within a budget of 600 s\. Spent 420 s \(70 % of the budget\); 2 extra rounds:/,
    );
    assert.match(
      measured,
      /^- round 5 \(2 cells\): keep-alive 10 CUs: a ~ b undecided, resolution 7\.2 % > 5 %$/m,
    );
    assert.match(measured, /^- round 6 \(1 cell\): /m);
    assert.match(measured, /^Stopped: every cell settled\.$/m);
  });
});

describe('the new fields are checked', () => {
  const dir = join(scratch, 'checked');
  writeSyntheticSet({
    dir,
    twins: { 'a~twin': { stack: 'a', env: {} } },
    stacks: {
      a: rounds(10, 200, DRIFT, { noise: {} }),
      'a~twin': rounds(10, 200, DRIFT, { noise: {} }),
    },
  });
  const manifest = () => JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
  const stack = () => JSON.parse(readFileSync(join(dir, 'a.json'), 'utf8'));

  test('valid as written', () => {
    assert.deepEqual(validateManifest(manifest()), []);
    assert.deepEqual(validateStackResult(stack()), []);
  });

  test('a malformed noise object or replacedBy is rejected naming the key', () => {
    const doc = stack();
    doc.runs[0].windows[0].noise.stealPct = 'high';
    delete doc.runs[0].windows[0].noise.disturbed;
    doc.runs[1].windows[0].noise = 'quiet';
    doc.runs[2].windows[0].replacedBy = 'next';
    const problems = validateStackResult(doc);
    assert.deepEqual(problems, [
      'stack.runs[0].windows[0].noise.stealPct: expected a finite number, got "high"',
      'stack.runs[0].windows[0].noise.disturbed: missing; expected an array of strings',
      'stack.runs[1].windows[0].noise: expected an object or null, got "quiet"',
      'stack.runs[2].windows[0].replacedBy: expected a finite number, got "next"',
    ]);
    const path = join(dir, 'a.json');
    writeFileSync(path, JSON.stringify(doc));
    assert.throws(() => readResultSet(dir), {
      code: 'REPORT_BAD_RESULT_SET',
      message: /noise\.stealPct: expected a finite number, got "high"/,
    });
  });

  test('malformed adaptive, re-run, twin and settings records are rejected naming the key', () => {
    const doc = manifest();
    doc.method.adaptive = {
      initialSamples: 4,
      budgetS: 600,
      targetResolutionPct: 5,
      maxSamples: 8,
      rounds: [{ round: 5, cells: [{ stack: 'a', connection: 'sometimes', level: 10 }], why: [] }],
      stopped: null,
    };
    doc.method.reruns = [{ round: 1, stack: 'a', seq: 0, reason: 'steal' }];
    doc.stacks[1].twin = { env: {} };
    doc.profile.settings.disturbance = { stealPct: 5, foreignPct: 10, rerun: 'yes' };
    doc.profile.settings.windowSizing = { responsesPerUser: 20 };
    assert.deepEqual(validateManifest(doc), [
      'manifest.profile.settings.windowSizing.minRequests: missing; expected a finite number',
      'manifest.profile.settings.windowSizing.maxDurationS: missing; expected a finite number',
      'manifest.profile.settings.windowSizing.maxWarmupS: missing; expected a finite number',
      'manifest.profile.settings.disturbance.rerun: expected true or false, got "yes"',
      'manifest.method.adaptive.spentS: missing; expected a finite number',
      'manifest.method.adaptive.rounds[0].cells[0].connection: expected one of "keep-alive", "close", got "sometimes"',
      'manifest.method.reruns[0].replacedBy: missing; expected a finite number',
      'manifest.stacks[1].twin.stack: missing; expected a string',
    ]);
  });
});

describe('compare marks cells the host disturbed', () => {
  test('the row says how many windows of which set were disturbed; the footer explains †', () => {
    const base = readResultSet(
      writeSyntheticSet({
        dir: join(scratch, 'cmp-base'),
        stacks: { a: rounds(10, 100, DRIFT), b: rounds(10, 100, DRIFT) },
      }),
    );
    const head = readResultSet(
      writeSyntheticSet({
        dir: join(scratch, 'cmp-head'),
        stacks: {
          a: rounds(10, 100, [...DRIFT].reverse()),
          b: rounds(10, 130, DRIFT).map((w, i) => ({
            ...w,
            noise: i < 2 ? { stealPct: 12, disturbed: [STEAL] } : {},
          })),
        },
      }),
    );
    const text = formatComparison(base, head, compareSets(base, head));
    assert.match(
      text,
      /^\| b \| 10 \| RPS \| [^\n]+ \| \*\*\+30\.0 %\*\* ✅ better \(p=[\d.]+\) † 2\/6 head windows disturbed \|$/m,
    );
    assert.match(
      text,
      /^\| a \| 10 \| [^\n]+ \| ~ \(p=[\d.]+\) \|$/m,
      'a quiet cell is not marked',
    );
    assert.match(text, /\d+ of the changes rests? on windows the host disturbed \(†\)\./);
    assert.match(text, /^† The cell has windows in which the host disturbed the measurement/m);
  });
});
