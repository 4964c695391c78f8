/**
 * The matrix bin refuses a set the host cannot hold before anything starts: under a real
 * `ulimit -n` set with prlimit, and with more workers than the real MemAvailable holds. Exit code
 * 2, the message names the limit and what to change, and nothing is left: no result directory,
 * no process of the bin's group, no stack reaper.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { processTable } from '@stackbench/host-probe';
import { type CliResult, matrixBin, root } from './cli-run.js';

const PROFILE = (body: string) =>
  `default = "p"\n[p]\ncycles = [1000]\nduration_s = 0.5\nsamples = 1\n${body}`;

/** The matrix bin under `prlimit` (when given), in its own process group, always ended. */
async function matrix(args: string[], nofile?: number): Promise<CliResult & { pid: number }> {
  const argv = [process.execPath, matrixBin, '--plain', ...args];
  const [cmd, ...rest] = nofile ? ['prlimit', `--nofile=${nofile}:${nofile}`, ...argv] : argv;
  const child = spawn(cmd as string, rest, {
    cwd: root,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => {
    stdout += d;
  });
  child.stderr.on('data', (d) => {
    stderr += d;
  });
  const timer = setTimeout(() => process.kill(-(child.pid as number), 'SIGKILL'), 60_000);
  try {
    const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((done) =>
      child.on('close', (c, s) => done([c, s])),
    );
    return { code, signal, stdout, stderr, pid: child.pid as number };
  } finally {
    clearTimeout(timer);
    try {
      process.kill(-(child.pid as number), 'SIGKILL');
    } catch {
      // the group is gone: what the test expects
    }
  }
}

function leftovers(pid: number): string[] {
  const cmdline = (p: number) => {
    try {
      return readFileSync(`/proc/${p}/cmdline`, 'utf8').replaceAll('\0', ' ');
    } catch {
      return '';
    }
  };
  return processTable()
    .filter((e) => e.pgid === pid || cmdline(e.pid).includes(`reaper-main.js ${pid}`))
    .map((e) => `${e.pid} ${cmdline(e.pid)}`);
}

describe('budget refusal', () => {
  let dir: string;
  let stacks: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'stackbench-budget-refusal-'));
    stacks = join(dir, 'stacks');
    mkdirSync(stacks);
    cpSync(join(root, 'stacks/prefork-rr.toml'), join(stacks, 'prefork-rr.toml'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('under a low ulimit -n: refused with the figure to raise it to, nothing left', async () => {
    writeFileSync(join(stacks, 'profiles.toml'), PROFILE('workers = 2\n'));
    const out = join(dir, 'fds');
    // below the 1000 users' descriptors, above what Node needs to start
    const r = await matrix(['--stacks-dir', stacks, '--out', out], 600);
    assert.equal(r.code, 2, r.stderr);
    const need = /raise `ulimit -n` to at least ([\d,]+)/.exec(r.stderr)?.[1];
    assert.ok(need, r.stderr);
    assert.ok(Number(need.replace(/,/g, '')) > 1000, need);
    assert.match(r.stderr, /`ulimit -n` is 600/);
    assert.match(r.stderr, /budget: .* fds of 600/);
    assert.equal(existsSync(out), false, 'no result directory');
    assert.deepEqual(leftovers(r.pid), []);
  });

  test('more workers than MemAvailable holds: refused, naming workers and the memory', async () => {
    writeFileSync(
      join(stacks, 'profiles.toml'),
      PROFILE('workers = 10000000\ninterleave = false\n'),
    );
    const out = join(dir, 'memory');
    const r = await matrix(['--stacks-dir', stacks, '--out', out]);
    assert.equal(r.code, 2, r.stderr);
    assert.match(
      r.stderr,
      /`workers` 10000000 of prefork-rr alone need [\d.]+ GB, MemAvailable is [\d.]+ GB: lower `workers`/,
    );
    assert.equal(existsSync(out), false, 'no result directory');
    assert.deepEqual(leftovers(r.pid), []);
  });

  test('interleave takes "auto"; another word is refused with the valid ones', async () => {
    writeFileSync(join(stacks, 'profiles.toml'), PROFILE('workers = 2\ninterleave = "maybe"\n'));
    const r = await matrix(['--stacks-dir', stacks, '--out', join(dir, 'word')]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /profiles\.toml: p\.interleave: must be true, false or "auto"/);
  });
});
