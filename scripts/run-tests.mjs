#!/usr/bin/env node
// Runs the compiled tests (dist/test/**/*.test.js) of the given package folders with
// `node --test`, one file at a time per lane: the tests start real servers and load them.
//
// Without package folders (`npm test`), two lanes run side by side:
// - bench: the orchestrator's end-to-end tests (real stacks, worktrees, network-namespace hosts),
//   at nice 10: they assert structure, not speed, and take what CPU the other lane leaves;
// - the rest: every other package, then again on the pinned Node 24 (runtimes/, installed by
//   `npm run runtimes:install`) for the packages of the processes a set runs and measures
//   (supervisor, adapter, prefork, native servers, load driver, their protocol), when it is there.
// Their timings hold beside a busy host (scripts/stress-tests.sh runs the suite beside
// `stress --cpu N`), and two lanes take about half the time of one on 2 cores.
// With package folders, or --serial, one lane on this Node, as a developer runs one package.
// A file gets 600 s: the longest (the remote topology's, a few minutes) stays inside it on a host
// made several times slower, and a hung file still ends.
// Usage: node scripts/run-tests.mjs [--serial] [PACKAGE_DIR ...]   (node --test flags after --)
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { setPriority } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const root = resolve(fileURLToPath(import.meta.url), '../..');
const split = process.argv.indexOf('--');
const argv = split < 0 ? process.argv.slice(2) : process.argv.slice(2, split);
const extra = split < 0 ? [] : process.argv.slice(split + 1);
const serial = argv.includes('--serial');
const args = argv.filter((a) => a !== '--serial');
const packagesDir = join(root, 'packages');
const NODE24 = join(root, 'runtimes/node_modules/node24/bin/node');
const MEASURED = ['supervisor', 'adapter', 'prefork', 'native', 'loadgen', 'protocol'];

function testFiles(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return testFiles(path);
    return name.endsWith('.test.js') ? [path] : [];
  });
}

const filesOf = (dirs) => dirs.flatMap((dir) => testFiles(join(dir, 'dist', 'test'))).sort();
const allDirs = readdirSync(packagesDir).map((name) => join(packagesDir, name));
const dirs = args.length ? args.map((dir) => resolve(dir)) : allDirs;
if (filesOf(dirs).length === 0) {
  console.error(
    `run-tests: no compiled tests under ${dirs.map((d) => relative(root, d)).join(', ')} (build first)`,
  );
  process.exit(1);
}

/** One `node --test` run of `files` on `node`; its output goes out line by line under `tag`. */
function runFiles(tag, node, files, nice) {
  return new Promise((done) => {
    const child = spawn(
      node,
      ['--test', '--test-concurrency=1', '--test-timeout=600000', ...extra, ...files],
      { stdio: ['ignore', tag ? 'pipe' : 'inherit', tag ? 'pipe' : 'inherit'], cwd: root },
    );
    if (nice) setPriority(child.pid, nice);
    for (const stream of tag ? [child.stdout, child.stderr] : []) {
      createInterface({ input: stream }).on('line', (line) => console.log(`${tag}${line}`));
    }
    child.on('error', (error) => {
      console.error(`run-tests: ${node}: ${error.message}`);
      done(1);
    });
    child.on('close', (code) => done(code ?? 1));
  });
}

/** Runs `steps` one after another, each a [label, node, files]; the first failure is the code. */
async function lane(tag, steps, nice = 0) {
  let code = 0;
  for (const [label, node, files] of steps) {
    if (files.length === 0) continue;
    if (tag) console.log(`${tag}run-tests: ${label}: ${files.length} files`);
    const status = await runFiles(tag, node, files, nice);
    if (status !== 0) console.log(`${tag ?? ''}run-tests: ${label}: FAILED (exit ${status})`);
    code ||= status;
  }
  return code;
}

const started = performance.now();
let codes;
if (serial || args.length) {
  codes = [await lane(null, [['tests', process.execPath, filesOf(dirs)]])];
} else {
  const bench = [join(packagesDir, 'bench')];
  const rest = allDirs.filter((d) => !bench.includes(d));
  const restSteps = [
    [`the rest on Node ${process.versions.node}`, process.execPath, filesOf(rest)],
  ];
  if (existsSync(NODE24)) {
    restSteps.push([
      'measured processes on the pinned Node 24',
      NODE24,
      filesOf(MEASURED.map((name) => join(packagesDir, name))),
    ]);
  } else if (process.env.STACKBENCH_REQUIRE_RUNTIMES === '1') {
    console.error(`run-tests: ${relative(root, NODE24)} is missing: npm run runtimes:install`);
    process.exit(1);
  }
  codes = await Promise.all([
    lane(
      'bench │ ',
      [[`bench on Node ${process.versions.node}`, process.execPath, filesOf(bench)]],
      10,
    ),
    lane('rest  │ ', restSteps),
  ]);
}
const minutes = (performance.now() - started) / 60_000;
const failed = codes.some((c) => c !== 0);
console.log(`run-tests: ${failed ? 'FAILED' : 'passed'} in ${minutes.toFixed(1)} min`);
process.exit(failed ? 1 : 0);
