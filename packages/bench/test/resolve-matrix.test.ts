/**
 * Results that resolve, end to end on real stacks: windows sized by the response time, noise
 * readings in every window with disturbed ones re-run, adaptive rounds within a budget, and a twin
 * with its verdict in the report.
 */
import assert from 'node:assert/strict';
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { readManifest, readStackResult, stackFileName } from '@stackbench/report';
import { killGroup, matrixBin, run, start } from './cli-run.js';
import { markedProcesses, useFixture } from './matrix-fixture.js';

// smoke-sized: a light app, 2 and 4 users, 2 windows to start, rounds after those while 25 s last;
// every window with any foreign CPU counts as disturbed and is re-run once
const PROFILE = `
[resolve]
description = "test: sized windows, re-runs, adaptive rounds"
workers = 2
cycles = [2, 4]
samples = 2
interleave = true
duration_s = 0.3
responses_per_user = 4
min_requests = 20
max_duration_s = 1.5
warmup_s = 0.3
warmup_requests_per_worker = 20
cycle_warmup_s = 0.1
max_warmup_s = 1
pause_s = 0
disturbed_foreign_pct = 0
rerun_disturbed = true
budget_s = 25
target_resolution_pct = 0.5
max_samples = 4
backlog = 2048
timeout = 120
threads = 2
load_threads = 1
request_timeout_s = 10
app = "@stackbench/app:benchApp"

[resolve.app_env]
STACKBENCH_WRITES = "100"
STACKBENCH_SLEEP_MS = "20"
`;

/** The test profile in the fixture's profiles.toml, once. */
function withProfile(stacksDir: string): void {
  const file = join(stacksDir, 'profiles.toml');
  if (!readFileSync(file, 'utf8').includes('[resolve]')) appendFileSync(file, PROFILE);
}

describe('a set that resolves: sizing, noise, re-runs, adaptive rounds, twin', () => {
  const fixture = useFixture();

  test('a slowed twin, sized windows, re-runs; Ctrl-C in an adaptive round, --resume completes the set', async () => {
    const fx = fixture();
    withProfile(fx.stacksDir);
    const running = start(matrixBin, [
      '--stacks-dir',
      fx.stacksDir,
      '--out',
      fx.outDir,
      '--plain',
      '--profile',
      'resolve',
      '--stacks',
      'prefork-rr',
      '--twin',
      // 10 % more writes: next to no effect at 20 ms of sleep, so after the first 2 rounds a cell is
      // decided only by chance (5 % each), and an adaptive round follows unless both cells are
      'prefork-rr:STACKBENCH_WRITES=110',
      '--seed',
      '11',
      // room for adaptive rounds after the first two
      '--budget',
      '60',
    ]);
    try {
      // the first adaptive round announces itself ("round 3: …") before its stacks start
      const deadline = Date.now() + 90_000;
      while (Date.now() < deadline && !/^round 3: /m.test(running.output())) await sleep(100);
      assert.match(running.output(), /^round 3: /m, 'an adaptive round was planned');
      await sleep(1500);
      process.kill(running.child.pid as number, 'SIGINT');
      const stopped = await running.done;
      assert.equal(stopped.code, 130, stopped.stderr);
      const setDir = stopped.stderr.match(/--resume (\S+)/)?.[1] ?? '';
      assert.ok(setDir, stopped.stderr);
      const interrupted = readManifest(setDir);
      assert.equal(interrupted.complete, false);
      assert.equal(interrupted.method.adaptive?.stopped, null);
      assert.ok(
        interrupted.method.order.every((w) => w.round <= 2),
        'round 3 left nothing',
      );
      assert.deepEqual(markedProcesses(fx.marker), [], 'the interrupted stacks were stopped');

      const resumed = await run(matrixBin, [
        '--resume',
        setDir,
        '--stacks-dir',
        fx.stacksDir,
        '--plain',
      ]);
      assert.equal(resumed.code, 0, resumed.stderr);
      const done = readManifest(setDir);
      assert.equal(done.complete, true);
      const adaptive = done.method.adaptive!;
      assert.ok(adaptive.stopped);
      assert.ok(adaptive.rounds.length >= 1, 'the interrupted adaptive round ran on resume');
      const rounds = adaptive.rounds.map((r) => r.round);
      assert.deepEqual(
        rounds,
        [...new Set(rounds)].sort((a, b) => a - b),
        'each round once',
      );
      for (const name of ['prefork-rr', 'prefork-rr~twin']) {
        const doc = readStackResult(join(setDir, stackFileName(name)));
        const ran = doc.runs.map((r) => r.round);
        assert.deepEqual(
          ran,
          [...new Set(ran)].sort((a, b) => a - b),
        );
        for (const w of doc.runs.flatMap((r) => r.windows)) {
          assert.equal(done.method.order[w.seq]?.stack, name, 'seq points into the order');
        }
      }
      const set = setDir;
      const manifest = done;

      // the twin: an entry of its own that says what it copies and changes
      const twin = manifest.stacks.find((s) => s.name === 'prefork-rr~twin');
      assert.deepEqual(twin?.twin, { stack: 'prefork-rr', env: { STACKBENCH_WRITES: '110' } });
      assert.equal(twin?.status, 'complete');

      // adaptive: the first K rounds, then rounds with their reasons, stopped with a reason
      assert.ok(adaptive, 'the manifest records the adaptive sampling');
      assert.equal(adaptive.initialSamples, 2);
      assert.ok(adaptive.stopped && adaptive.stopped.length > 0);
      assert.ok(adaptive.spentS > 0);
      for (const round of adaptive.rounds) {
        assert.ok(round.round > 2 && round.why.length > 0 && round.cells.length > 0);
      }
      // within its budget: the next round is started only when it fits
      assert.ok(adaptive.spentS <= adaptive.budgetS + 15, `spent ${adaptive.spentS} s`);

      const results = ['prefork-rr', 'prefork-rr~twin'].map((n) =>
        readStackResult(join(set, stackFileName(n))),
      );
      // every run warmed until its mode had 2 × 20 requests and stopped climbing (seed only,
      // keep-alive: one piece at the highest level), each slice recorded
      for (const run of results.flatMap((r) => r.runs).filter((r) => r.windows.length)) {
        const [piece, ...more] = run.warmups ?? [];
        assert.equal(more.length, 0);
        assert.equal(piece?.workload, 'seed');
        assert.equal(piece?.users, 4);
        assert.equal(piece?.sliceS, 0.3);
        assert.ok((piece?.rps.length ?? 0) >= 2 && (piece?.rps ?? []).every((r) => r > 0));
      }
      const windows = results.flatMap((r) => r.runs.flatMap((run) => run.windows));
      assert.ok(windows.length >= 2 * 2 * 2);
      for (const w of windows) {
        // sized by the response time, with the rule's record
        const sized = w.load.cycles[0]?.window;
        assert.ok(sized, 'every window records how it was sized');
        assert.ok(sized.plannedS >= 0.3 && sized.plannedS <= 1.5);
        assert.ok(sized.warmupS >= 0.1 - 1e-9 && sized.warmupS <= 1.2);
        // noise readings of the measured part
        assert.ok(w.noise, 'every window records the host during it');
        assert.ok(w.noise.seconds > 0 && w.noise.stackCpuPct > 0 && w.noise.driverCpuPct > 0);
        assert.ok(Array.isArray(w.noise.disturbed));
      }
      // re-runs: the disturbed window kept, pointing at its re-run, both in the order
      const reruns = manifest.method.reruns ?? [];
      const replaced = windows.filter((w) => w.replacedBy !== undefined);
      assert.equal(replaced.length, reruns.length);
      for (const r of reruns) {
        const first = windows.find((w) => w.seq === r.seq);
        const again = windows.find((w) => w.seq === r.replacedBy);
        assert.ok(first && again && first.replacedBy === again.seq, `re-run ${r.seq}`);
        // the profile's bounds: any foreign CPU, or steal above the default 5 %
        assert.match(r.reason, /foreign CPU .* > 0 %|steal .* > 5 %/);
      }
      assert.equal(manifest.method.order.length, windows.length);

      const report = readFileSync(join(set, 'report.md'), 'utf8');
      assert.match(report, /## The twin/);
      assert.match(report, /prefork-rr~twin/);
      assert.match(report, /resolution/);
      assert.match(report, /## The host during the windows/);
      assert.ok(existsSync(join(setDir, 'report.md')));
      assert.deepEqual(markedProcesses(fx.marker), [], 'nothing left running');
    } finally {
      killGroup(running);
    }
  });
});
