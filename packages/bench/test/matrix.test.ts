/**
 * The smoke profile end to end with real stacks and real processes: result set, report and
 * charts, a stack that never becomes ready, a skipped stack, Ctrl-C and --resume, compare.
 */
import assert from 'node:assert/strict';
import { cpSync, existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { validateManifest, validateStackResult } from '@stackbench/report';
import { killGroup, root, run, start } from './cli-run.js';
import { type MatrixFixture, makeFixture, markedProcesses } from './matrix-fixture.js';

const matrixBin = resolve(root, 'packages/bench/bin/stackbench-matrix.js');
const reportBin = resolve(root, 'packages/report/bin/stackbench-report.js');
const compareBin = resolve(root, 'packages/report/bin/stackbench-compare.js');

const readJson = (path: string) => JSON.parse(readFileSync(path, 'utf8'));
const chartFiles = (dir: string) =>
  readdirSync(join(dir, 'charts'))
    .sort()
    .map((name) => [name, readFileSync(join(dir, 'charts', name), 'utf8')] as const);

describe('matrix, smoke profile', () => {
  let fx: MatrixFixture;
  let firstSet = '';
  let resumedSet = '';
  before(() => {
    fx = makeFixture();
  });
  after(() => {
    for (const pid of markedProcesses(fx.marker)) process.kill(pid, 'SIGKILL');
    rmSync(fx.dir, { recursive: true, force: true });
  });
  const common = () => [
    '--profile',
    'smoke',
    '--stacks-dir',
    fx.stacksDir,
    '--out',
    fx.outDir,
    '--plain',
  ];

  test('two real stacks, one never ready, one skipped: set, report, charts, nothing left', async () => {
    const result = await run(matrixBin, [
      ...common(),
      '--stacks',
      'prefork-rr,never-ready,needs-missing,supervisor-node',
    ]);
    // a failed stack makes the exit code 1, after the others ran
    assert.equal(result.code, 1, result.stderr);
    firstSet = result.stdout.trim().split('\n').at(-1) ?? '';
    assert.match(firstSet, /results\/[a-z0-9-]+\/\d{8}T\d{6}Z-smoke$/);
    const manifest = readJson(join(firstSet, 'manifest.json'));
    assert.deepEqual(validateManifest(manifest), []);
    assert.equal(manifest.complete, true);
    const status = Object.fromEntries(
      manifest.stacks.map((s: { name: string; status: string; reason: string }) => [s.name, s]),
    );
    assert.equal(status['prefork-rr'].status, 'complete');
    assert.equal(status['supervisor-node'].status, 'complete');
    assert.equal(status['never-ready'].status, 'failed');
    assert.match(status['never-ready'].reason, /not ready within 3 s .*status 503/);
    assert.equal(status['needs-missing'].status, 'skipped');
    assert.match(status['needs-missing'].reason, /stackbench-no-such-command not found on PATH/);
    assert.match(result.stderr, /skipped needs-missing: command stackbench-no-such-command/);
    assert.equal(existsSync(join(firstSet, 'needs-missing.json')), false);
    for (const name of ['prefork-rr', 'supervisor-node']) {
      const doc = readJson(join(firstSet, `${name}.json`));
      assert.deepEqual(validateStackResult(doc), []);
      const [first] = doc.runs;
      assert.equal(first.status, 'complete');
      assert.deepEqual(
        first.load.cycles.map((c: { users: number }) => c.users),
        [2, 4],
      );
      assert.ok(first.load.cycles[1].requests.succeeded > 0);
      assert.equal(first.lifecycle.leftover, 0);
      assert.equal(first.lifecycle.portFree, true);
      assert.ok(first.server.samples.length >= 1, 'server sampled while loading');
      assert.ok(first.server.samples[0].processes >= 3, 'a master or supervisor and 2 workers');
    }
    const failed = readJson(join(firstSet, 'never-ready.json'));
    assert.deepEqual(validateStackResult(failed), []);
    assert.equal(failed.runs[0].lifecycle.leftover, 0);
    // report and charts, and a rebuild from the JSON is byte-identical
    const report = readFileSync(join(firstSet, 'report.md'), 'utf8');
    assert.match(
      report,
      /\| CUs \| RPS \| success % \| avg \| min \| p10 \| med \| p90 \| p95 \| max \|/,
    );
    assert.match(
      report,
      /## needs-missing \(reference\)\n\nneeds a missing command\. Status: \*\*skipped\*\*/,
    );
    const charts = chartFiles(firstSet);
    assert.deepEqual(
      charts.map(([name]) => name).filter((n) => n.endsWith('.svg')),
      ['durations-prefork-rr.svg', 'durations-supervisor-node.svg', 'failures.svg', 'rps.svg'],
    );
    assert.match(charts.find(([n]) => n === 'rps.svg')?.[1] ?? '', /^<svg/);
    const rebuilt = await run(reportBin, [firstSet]);
    assert.equal(rebuilt.code, 0, rebuilt.stderr);
    assert.equal(readFileSync(join(firstSet, 'report.md'), 'utf8'), report);
    assert.deepEqual(chartFiles(firstSet), charts);
    assert.deepEqual(markedProcesses(fx.marker), [], 'no stack process left');
  });

  test('--repeat: a stack that failed in one round stays failed, its later rounds are not run', async () => {
    const result = await run(matrixBin, [...common(), '--stacks', 'flaky-once', '--repeat', '2']);
    assert.equal(result.code, 1, result.stderr);
    const set = result.stdout.trim().split('\n').at(-1) ?? '';
    const entry = readJson(join(set, 'manifest.json')).stacks[0];
    assert.equal(entry.status, 'failed');
    assert.match(entry.reason, /exited with code 1/);
    assert.deepEqual(
      readJson(join(set, 'flaky-once.json')).runs.map((r: { repeat: number }) => r.repeat),
      [1],
    );
  });

  test('Ctrl-C keeps the finished stack, --resume completes the set', async () => {
    const running = start(matrixBin, [...common(), '--stacks', 'prefork-rr,supervisor-node']);
    try {
      let setDir = '';
      const deadline = Date.now() + 60_000;
      // interrupt while the second stack runs: the first one's file is written by then
      while (Date.now() < deadline && !setDir) {
        await sleep(100);
        const hostDir = existsSync(fx.outDir)
          ? join(fx.outDir, readdirSync(fx.outDir)[0] ?? '')
          : '';
        for (const id of hostDir && existsSync(hostDir) ? readdirSync(hostDir) : []) {
          const dir = join(hostDir, id);
          if (dir !== firstSet && existsSync(join(dir, 'prefork-rr.json'))) setDir = dir;
        }
      }
      assert.ok(setDir, `first stack never finished: ${running.output()}`);
      process.kill(running.child.pid as number, 'SIGINT');
      const result = await running.done;
      assert.equal(result.code, 130, result.stderr);
      assert.match(result.stderr, /--resume /);
      const manifest = readJson(join(setDir, 'manifest.json'));
      assert.equal(manifest.complete, false);
      assert.deepEqual(
        manifest.stacks.map((s: { status: string }) => s.status),
        ['complete', 'pending'],
      );
      assert.equal(existsSync(join(setDir, 'supervisor-node.json')), false);
      assert.deepEqual(markedProcesses(fx.marker), [], 'the interrupted stack was stopped');

      const resumed = await run(matrixBin, [
        '--resume',
        setDir,
        '--stacks-dir',
        fx.stacksDir,
        '--plain',
      ]);
      assert.equal(resumed.code, 0, resumed.stderr);
      const done = readJson(join(setDir, 'manifest.json'));
      assert.equal(done.complete, true);
      assert.deepEqual(
        done.stacks.map((s: { status: string }) => s.status),
        ['complete', 'complete'],
      );
      assert.ok(existsSync(join(setDir, 'supervisor-node.json')));
      assert.ok(existsSync(join(setDir, 'report.md')));
      resumedSet = setDir;
    } finally {
      killGroup(running);
    }
  });

  test('compare: a table of deltas, and refusal of an incomparable pair', async () => {
    assert.ok(firstSet && resumedSet, 'needs the sets of the tests above');
    const output = join(fx.dir, 'compare.md');
    const ok = await run(compareBin, [
      '--base',
      firstSet,
      '--head',
      resumedSet,
      '--output',
      output,
    ]);
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(
      ok.stdout,
      /\| stack \| CUs \| RPS \| med ms \| p95 ms \| failures \| threshold % \|/,
    );
    assert.match(ok.stdout, /\| prefork-rr \| 2 \| /);
    assert.match(ok.stdout, /\| supervisor-node \| 4 \| /);
    assert.equal(readFileSync(output, 'utf8'), ok.stdout);

    const other = join(fx.dir, 'other-set');
    cpSync(resumedSet, other, { recursive: true });
    const manifest = readJson(join(other, 'manifest.json'));
    manifest.profile.hash = 'differenthash';
    writeFileSync(join(other, 'manifest.json'), JSON.stringify(manifest));
    const refused = await run(compareBin, ['--base', firstSet, '--head', other]);
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /not comparable: profile differs.*--force/);
    const forced = await run(compareBin, ['--base', firstSet, '--head', other, '--force']);
    assert.equal(forced.code, 0, forced.stderr);
    assert.match(forced.stdout, /Warning \(compared with --force\)/);
  });
});
