/**
 * The smoke profile end to end with real stacks and real processes: result set, report and
 * charts, a stack that never becomes ready, a skipped stack, Ctrl-C and --resume, compare.
 */
import assert from 'node:assert/strict';
import { cpSync, existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { validateStackResult } from '@stackbench/report';
import { validateManifest } from '@stackbench/result';
import { planSchedule } from '../src/set/schedule.js';
import { killGroup, root, run, start } from './cli-run.js';
import {
  type MatrixFixture,
  makeFixture,
  markedProcesses,
  matrixIn,
  useFixture,
} from './matrix-fixture.js';

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
    const firstSet = result.stdout.trim().split('\n').at(-1) ?? '';
    assert.match(firstSet, /results\/[a-z0-9-]+\/\d{8}T\d{6}Z-smoke$/);
    const manifest = readJson(join(firstSet, 'manifest.json'));
    assert.deepEqual(validateManifest(manifest), []);
    assert.equal(manifest.complete, true);
    // the budget, checked before anything started: printed first and kept with the set
    const line =
      /^budget: .* of [\d.]+ GB available, [\d,]+ fds of [\d,]+, [\d,]+ ports of [\d,]+: interleaved \(the profile interleaves\)$/m.exec(
        result.stderr,
      );
    assert.ok(line, result.stderr);
    assert.equal(manifest.budget.line, line[0]);
    assert.deepEqual(manifest.budget.interleave, {
      asked: true,
      chosen: true,
      why: 'the profile interleaves',
    });
    assert.ok(manifest.budget.fds.needed < manifest.budget.fds.available);
    const status = Object.fromEntries(
      manifest.stacks.map((s: { name: string; status: string; reason: string }) => [s.name, s]),
    );
    assert.equal(status['prefork-rr'].status, 'complete');
    assert.equal(status['supervisor-node'].status, 'complete');
    assert.equal(status['never-ready'].status, 'failed');
    // ready.timeout_s = 3, plus 1 s for each of its 2 workers
    assert.match(status['never-ready'].reason, /not ready within 5 s .*status 503/);
    assert.equal(status['needs-missing'].status, 'skipped');
    assert.match(status['needs-missing'].reason, /stackbench-no-such-command not found on PATH/);
    assert.match(result.stderr, /skipped needs-missing: command stackbench-no-such-command/);
    assert.equal(existsSync(join(firstSet, 'needs-missing.json')), false);
    for (const name of ['prefork-rr', 'supervisor-node']) {
      const doc = readJson(join(firstSet, `${name}.json`));
      assert.deepEqual(validateStackResult(doc), []);
      assert.deepEqual(
        doc.runs.map((r: { round: number }) => r.round),
        [1, 2],
        'K = 2: two rounds',
      );
      for (const run of doc.runs) {
        assert.equal(run.status, 'complete');
        assert.deepEqual(run.windows.map((w: { cus: number }) => w.cus).sort(), [2, 4]);
        for (const w of run.windows) {
          assert.equal(w.load.cycles.length, 1);
          assert.ok(w.load.cycles[0].requests.succeeded > 0);
          assert.ok(w.server.length >= 1, 'server sampled in every window');
          assert.equal(w.balance.workers.length, 2, `${name}: its 2 workers found`);
        }
        assert.equal(run.lifecycle.leftover, 0);
        assert.equal(run.lifecycle.portFree, true);
        assert.ok(run.windows[0].server[0].processes >= 3, 'a master or supervisor and 2 workers');
      }
    }
    const failed = readJson(join(firstSet, 'never-ready.json'));
    assert.deepEqual(validateStackResult(failed), []);
    assert.equal(failed.runs[0].lifecycle.leftover, 0);
    // report and charts, and a rebuild from the JSON is byte-identical
    const report = readFileSync(join(firstSet, 'report.md'), 'utf8');
    assert.match(
      report,
      /\| CUs \| windows \| requests \| RPS \| success % \| avg \| min \| p10 \| med \| p90 \| p95 \| p99 \| max \|/,
    );
    assert.match(report, /### 4 CUs\n\n\| RPS rank \| stack \|/);
    assert.match(
      report,
      /\| host budget \| .* fds of .*: interleaved \(the profile interleaves\) \|/,
    );
    assert.match(
      report,
      /## needs-missing \(reference\)\n\nneeds a missing command\. Status: \*\*skipped\*\*/,
    );
    const charts = chartFiles(firstSet);
    assert.deepEqual(
      charts.map(([name]) => name).filter((n) => n.endsWith('.svg')),
      [
        'durations-prefork-rr.svg',
        'durations-supervisor-node.svg',
        'latency.svg',
        'rps-intervals.svg',
        'rps.svg',
      ],
      'no failures.svg: nothing failed, so the report says it in a sentence',
    );
    assert.match(report, /no request failed in any of the \d+ windows/);
    assert.match(report, /⚠️ \*\*Not measured \(2 of 4 stacks\):\*\* /);
    // the manifest says who measured and where
    assert.equal(manifest.driver.name, '@stackbench/loadgen');
    assert.equal(manifest.driver.engine, 'native');
    assert.deepEqual(manifest.topology.kind, 'local');
    assert.ok(typeof manifest.host.loadBefore.busyPct === 'number');
    // the driver's ceiling, measured before the set, and the threads the profile needs
    const ceiling = manifest.driverCeiling;
    assert.equal(ceiling.boundPct, 70);
    assert.equal(ceiling.hosts[0].host, 'local');
    assert.equal(ceiling.hosts[0].threads, manifest.profile.settings.loadThreads);
    assert.ok(ceiling.hosts[0].perThreadRps > 0, JSON.stringify(ceiling));
    assert.match(result.stderr, /driver ceiling: [\d,]+ req\/s per thread on local/);
    assert.match(
      result.stderr,
      /driver: [\d,]+ req\/s \(\d+ users over the app's [\d.]+ ms service time, at most\) needs 1 load thread\(s\)/,
    );
    // the seed app sleeps: far below the ceiling, no cell driver-bound, and the prose says why
    assert.doesNotMatch(report, /driver-bound \d/);
    assert.match(
      report,
      /driver-bound: windows whose rate \(offered in an open loop, achieved in a closed one\) reached 70 %/,
    );
    // the first set of its results root: compare.md says why there is nothing to compare with,
    // and the results index lists it
    assert.match(
      readFileSync(join(firstSet, 'compare.md'), 'utf8'),
      /No set to compare `\d{8}T\d{6}Z-smoke` with: no earlier complete set/,
    );
    assert.match(
      readFileSync(join(fx.outDir, 'README.md'), 'utf8'),
      new RegExp(`\\[${firstSet.split('/').at(-1)}\\]`),
    );
    assert.match(charts.find(([n]) => n === 'rps.svg')?.[1] ?? '', /^<svg/);
    const rebuilt = await run(reportBin, [firstSet]);
    assert.equal(rebuilt.code, 0, rebuilt.stderr);
    assert.equal(readFileSync(join(firstSet, 'report.md'), 'utf8'), report);
    assert.deepEqual(chartFiles(firstSet), charts);
    assert.deepEqual(markedProcesses(fx.marker), [], 'no stack process left');
  });

  test('a stack that failed in one round stays failed, its later rounds are not run', async () => {
    const result = await run(matrixBin, [...common(), '--stacks', 'flaky-once', '--samples', '2']);
    assert.equal(result.code, 1, result.stderr);
    const set = result.stdout.trim().split('\n').at(-1) ?? '';
    const entry = readJson(join(set, 'manifest.json')).stacks[0];
    assert.equal(entry.status, 'failed');
    assert.match(entry.reason, /exited with code 1/);
    assert.deepEqual(
      readJson(join(set, 'flaky-once.json')).runs.map((r: { round: number }) => r.round),
      [1],
    );
  });

  test('Ctrl-C keeps the finished round, --resume runs the rest in the planned order', async () => {
    const setDirs = () => {
      // the results root holds the host's directory and, after a set, README.md (the index)
      const host = existsSync(fx.outDir)
        ? readdirSync(fx.outDir).find((n) => n !== 'README.md')
        : undefined;
      const hostDir = host ? join(fx.outDir, host) : '';
      return hostDir && existsSync(hostDir)
        ? readdirSync(hostDir).map((id) => join(hostDir, id))
        : [];
    };
    // sets other tests wrote are not this one (a set id is to the second: another test's set may
    // share the directory, but not its supervisor-node.json)
    const earlier = new Set(
      setDirs().filter((dir) => existsSync(join(dir, 'supervisor-node.json'))),
    );
    const running = start(matrixBin, [...common(), '--stacks', 'prefork-rr,supervisor-node']);
    try {
      let setDir = '';
      const deadline = Date.now() + 60_000;
      // interrupt in round 2: the stack files are written when round 1 ends
      while (Date.now() < deadline && !setDir) {
        await sleep(100);
        for (const dir of setDirs()) {
          if (!earlier.has(dir) && existsSync(join(dir, 'supervisor-node.json'))) setDir = dir;
        }
      }
      assert.ok(setDir, `round 1 never finished: ${running.output()}`);
      process.kill(running.child.pid as number, 'SIGINT');
      const result = await running.done;
      assert.equal(result.code, 130, result.stderr);
      assert.match(result.stderr, /--resume /);
      const manifest = readJson(join(setDir, 'manifest.json'));
      assert.equal(manifest.complete, false);
      assert.deepEqual(
        manifest.stacks.map((s: { status: string }) => s.status),
        ['pending', 'pending'],
      );
      assert.ok(
        manifest.method.order.every((w: { round: number }) => w.round === 1),
        'the interrupted round left nothing in the order',
      );
      assert.equal(readJson(join(setDir, 'prefork-rr.json')).runs.length, 1);
      assert.deepEqual(markedProcesses(fx.marker), [], 'the interrupted stacks were stopped');

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
      // the order is the one planned from the recorded seed: 2 rounds of the 4 cells, shuffled
      const planned = planSchedule({
        stacks: ['prefork-rr', 'supervisor-node'],
        levels: [2, 4],
        samples: 2,
        interleave: true,
        seed: done.method.seed,
      }).flatMap((r) => r.windows.map((w) => ({ round: r.round, stack: w.stack, cus: w.level })));
      assert.deepEqual(done.method.order, planned);
      for (const name of ['prefork-rr', 'supervisor-node']) {
        const doc = readJson(join(setDir, `${name}.json`));
        assert.deepEqual(
          doc.runs.map((r: { round: number }) => r.round),
          [1, 2],
        );
        const seqs = doc.runs.flatMap((r: { windows: { seq: number }[] }) =>
          r.windows.map((w) => w.seq),
        );
        for (const seq of seqs)
          assert.equal(done.method.order[seq].stack, name, 'seq points into the order');
      }
      assert.ok(existsSync(join(setDir, 'report.md')));
    } finally {
      killGroup(running);
    }
  });

  test('compare: medians, intervals and the rank test, and refusal of an incomparable pair', async () => {
    // a set of its own, and a copy of it as the head: the same data cannot differ
    const written = await run(matrixBin, [...common(), '--stacks', 'prefork-rr,supervisor-node']);
    assert.equal(written.code, 0, written.stderr);
    const base = written.stdout.trim().split('\n').at(-1) ?? '';
    const head = join(fx.dir, 'head-set');
    cpSync(base, head, { recursive: true });
    const output = join(fx.dir, 'compare.md');
    const ok = await run(compareBin, ['--base', base, '--head', head, '--output', output]);
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(
      ok.stdout,
      /^## stackbench compare: .*\n\n\*\*\d+ worse, \d+ better, \d+ ~\*\* \(24 tests: 4 cells × 6 metrics\)/,
    );
    // K = 2 vs 2: the rank test cannot reach α = 0.05, and compare says so instead of flagging
    assert.match(ok.stdout, /Too few windows to decide:\*\* with 2 vs 2 windows/);
    assert.match(ok.stdout, /\*\*0 worse, 0 better, 24 ~\*\*/);
    assert.match(ok.stdout, /\| prefork-rr \| 2 \| /);
    assert.match(ok.stdout, /\| supervisor-node \| 4 \| /);
    assert.equal(readFileSync(output, 'utf8'), ok.stdout);

    const other = join(fx.dir, 'other-set');
    cpSync(base, other, { recursive: true });
    const manifest = readJson(join(other, 'manifest.json'));
    manifest.profile.hash = 'differenthash';
    writeFileSync(join(other, 'manifest.json'), JSON.stringify(manifest));
    const refused = await run(compareBin, ['--base', base, '--head', other]);
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /not comparable: profile differs.*--force/);
    const forced = await run(compareBin, ['--base', base, '--head', other, '--force']);
    assert.equal(forced.code, 0, forced.stderr);
    assert.match(forced.stdout, /Warning \(compared with --force\)/);
  });
});

describe('balance over workers, against stacks whose placement the test controls', () => {
  const fixture = useFixture(['placement-first.toml', 'placement-even.toml']);

  test('all connections on one worker: Jain 0.5 of 2; in turn: 1', async () => {
    const fx = fixture();
    const { result, set } = await matrixIn(fx, [
      '--profile',
      'smoke',
      '--stacks',
      'placement-first,placement-even',
    ]);
    assert.equal(result.code, 0, result.stderr);
    const windows = (name: string) =>
      readJson(join(set, `${name}.json`)).runs.flatMap(
        (r: { windows: unknown[] }) => r.windows,
      ) as {
        cus: number;
        balance: {
          workers: { connections: number; cpuMs: number }[];
          connectionsJain: number;
          cpuJain: number;
        };
      }[];
    for (const w of windows('placement-first')) {
      assert.equal(w.balance.workers.length, 2);
      assert.deepEqual(
        w.balance.workers.map((x) => x.connections).sort(),
        [0, w.cus],
        'every connection of the window on the first worker',
      );
      assert.equal(w.balance.connectionsJain, 0.5);
      assert.equal(
        w.balance.workers.find((x) => x.connections === 0)?.cpuMs,
        0,
        'the idle worker used no CPU',
      );
    }
    for (const w of windows('placement-even')) {
      assert.deepEqual(
        w.balance.workers.map((x) => x.connections),
        [w.cus / 2, w.cus / 2],
      );
      assert.equal(w.balance.connectionsJain, 1);
    }
    const report = readFileSync(join(set, 'report.md'), 'utf8');
    assert.match(report, /\| placement-first \| .* \| 0\.50 \| 0\.50 \| [^|]+ \| 2 \|/);
    assert.match(report, /\| placement-even \| .* \| 1\.00 \| /);
    assert.deepEqual(markedProcesses(fx.marker), [], 'no stack process left');
  });
});

describe('open loop: rates as fractions of each stack capacity', () => {
  const fixture = useFixture();

  test('capacity per round, windows at constant rates, the hockey-stick report', async () => {
    const fx = fixture();
    const { result, set } = await matrixIn(fx, [
      '--profile',
      'smoke-open',
      '--stacks',
      'prefork-rr,supervisor-node',
    ]);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stderr, /prefork-rr @ 0\.5 × capacity/);
    const manifest = readJson(join(set, 'manifest.json'));
    assert.deepEqual(validateManifest(manifest), []);
    assert.deepEqual(manifest.profile.settings.ratesOfCapacity, [0.5, 1]);
    assert.ok(manifest.method.order.every((w: { level: number }) => [0.5, 1].includes(w.level)));
    for (const name of ['prefork-rr', 'supervisor-node']) {
      const doc = readJson(join(set, `${name}.json`));
      assert.deepEqual(validateStackResult(doc), []);
      for (const run of doc.runs) {
        assert.ok(run.capacityRps > 0, `${name}: capacity measured in round ${run.round}`);
        for (const w of run.windows) {
          assert.equal(w.offeredRps, Math.round(w.level * run.capacityRps * 10) / 10);
          const cycle = w.load.cycles[0];
          assert.equal(cycle.openLoop.offeredRps, w.offeredRps);
          assert.equal(w.load.options.rates[0], w.offeredRps);
          assert.equal(
            cycle.requests.sent,
            cycle.requests.succeeded + cycle.requests.failed + cycle.requests.inFlightAtEnd,
          );
        }
      }
    }
    const report = readFileSync(join(set, 'report.md'), 'utf8');
    assert.match(report, /## Ranking at each level \(× capacity\)/);
    assert.match(report, /### 0\.5 × capacity/);
    assert.match(report, /Open loop: each window offers a constant rate/);
    assert.match(report, /\*\*keep-alive connections \(a pool kept for the window/);
    assert.match(report, /Capacity per round \(closed loop, 4 users/);
    assert.match(report, /\| × capacity \| windows \| offered req\/s \| RPS \|/);
    const latency = JSON.parse(readFileSync(join(set, 'charts/latency.vl.json'), 'utf8'));
    assert.equal(latency.facet.column.title, 'offered load (fraction of the stack’s capacity)');
    assert.ok(latency.data.values.length >= 8, 'p95 and max of 2 stacks at 2 levels');
    assert.deepEqual(markedProcesses(fx.marker), [], 'no stack process left');
  });
});

describe('connection modes: keep-alive and a new connection per request, side by side', () => {
  const fixture = useFixture();

  test('a two-mode smoke run: cells per mode, the keep-alive settings, report and compare carry the mode', async () => {
    const fx = fixture();
    const { result, set } = await matrixIn(fx, [
      '--profile',
      'smoke',
      '--connections',
      'keep-alive,close',
      '--stacks',
      'prefork-rr,supervisor-node',
    ]);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stderr, /@ 4 CUs, close/);
    const manifest = readJson(join(set, 'manifest.json'));
    assert.deepEqual(manifest.profile.settings.connections, ['keep-alive', 'close']);
    assert.equal(manifest.method.order.length, 2 * 2 * 2 * 2, 'stacks × modes × levels × K');
    assert.match(
      manifest.stacks[0].keepAlive.server,
      /closes an idle keep-alive connection after 2 s/,
    );
    const doc = readJson(join(set, 'prefork-rr.json'));
    const modes = doc.runs.flatMap((r: { windows: { connection: string }[] }) =>
      r.windows.map((w) => w.connection),
    );
    assert.deepEqual([...new Set(modes)].sort(), ['close', 'keep-alive']);
    for (const run of doc.runs)
      for (const w of run.windows) assert.equal(w.load.options.connection, w.connection);
    const report = readFileSync(join(set, 'report.md'), 'utf8');
    assert.match(
      report,
      /\*\*a new connection per request \(`Connection: close`\)\*\* — leading on RPS/,
    );
    assert.match(report, /### close, 4 CUs/);
    assert.match(report, /### keep-alive, 2 CUs/);
    assert.match(report, /\| connection \| CUs \| windows \|/);
    assert.match(
      report,
      /Keep-alive: server: stackbench-prefork closes an idle keep-alive connection/,
    );
    assert.ok(existsSync(join(set, 'charts/rps-close.svg')));
    assert.ok(existsSync(join(set, 'charts/durations-prefork-rr-keep-alive.svg')));
    const compared = await run(compareBin, ['--base', set, '--head', set]);
    assert.equal(compared.code, 0, compared.stderr);
    assert.match(compared.stdout, /\| prefork-rr · close \| 2 \|/);
    assert.match(compared.stdout, /\(48 tests: 8 cells × 6 metrics\)/);
  });
});
