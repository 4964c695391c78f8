/** Bad input fails before any load, exit code 2, saying what is wrong and what is valid. */
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { root, run } from './cli-run.js';

const matrixBin = resolve(root, 'packages/bench/bin/stackbench-matrix.js');

describe('bad input', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'stackbench-bad-input-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));
  const out = () => ['--out', join(dir, 'results')];

  test('unknown profile lists the valid ones', async () => {
    const r = await run(matrixBin, ['--profile', 'nope', ...out()]);
    assert.equal(r.code, 2);
    assert.match(
      r.stderr,
      /unknown profile nope; valid profiles: paper, paper-rehearsal, local, tfb, smoke-workloads, pr, smoke, open, smoke-open/,
    );
  });

  test('unknown stack lists the valid ones', async () => {
    const r = await run(matrixBin, ['--profile', 'smoke', '--stacks', 'prefork-rr,nope', ...out()]);
    assert.equal(r.code, 2);
    assert.match(
      r.stderr,
      /unknown stack nope; valid stacks: bun-serve, deno-serve, gunicorn-gevent, nginx-gunicorn-gevent, nginx-prefork-rr, nginx-supervisor-node, prefork-none, prefork-rr, reuseport-node, supervisor-node, supervisor-threads/,
    );
  });

  test('--twin and --budget: what is wrong and what is valid, and nothing written', async () => {
    const twinOut = ['--out', join(dir, 'twin-results')];
    const none = await run(matrixBin, [
      '--profile',
      'smoke',
      '--stacks',
      'prefork-rr',
      '--twin',
      'supervisor-node',
      ...twinOut,
    ]);
    assert.equal(none.code, 2);
    assert.match(
      none.stderr,
      /--twin supervisor-node: no stack of this set is named so; the set has: prefork-rr/,
    );
    const env = await run(matrixBin, [
      '--profile',
      'smoke',
      '--twin',
      'prefork-rr:HOME=/',
      ...twinOut,
    ]);
    assert.equal(env.code, 2);
    assert.match(env.stderr, /--twin prefork-rr:HOME=\/: .*STACKBENCH_WRITES/);
    const budget = await run(matrixBin, ['--profile', 'smoke', '--budget', 'soon', ...twinOut]);
    assert.equal(budget.code, 2);
    assert.match(
      budget.stderr,
      /--budget soon: not a duration; give seconds or a number with a unit, e\.g\. 900, 15m/,
    );
    const sequential = await run(matrixBin, [
      '--profile',
      'smoke',
      '--budget',
      '60',
      '--sequential',
      ...twinOut,
    ]);
    assert.equal(sequential.code, 2);
    assert.match(sequential.stderr, /adaptive sampling pairs stacks within rounds/);
    assert.equal(existsSync(join(dir, 'twin-results')), false, 'no set directory for bad input');
  });

  test('bad --cycles names the flag', async () => {
    const r = await run(matrixBin, ['--profile', 'smoke', '--cycles', '2:x', ...out()]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--cycles 2:x/);
  });

  test('--samples, --seed out of range name the flag and the range', async () => {
    const zero = await run(matrixBin, ['--profile', 'smoke', '--samples', '0', ...out()]);
    assert.equal(zero.code, 2);
    assert.match(zero.stderr, /--samples/);
    const seed = await run(matrixBin, ['--profile', 'smoke', '--seed', '-1', ...out()]);
    assert.equal(seed.code, 2);
    assert.match(seed.stderr, /--seed/);
  });

  test('--connections takes keep-alive and/or close', async () => {
    const r = await run(matrixBin, [
      '--profile',
      'smoke',
      '--connections',
      'keep-alive,http2',
      ...out(),
    ]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--connections keep-alive,http2: give keep-alive and\/or close/);
  });

  test('a fixed --port with interleaved stacks is refused, saying what works', async () => {
    const r = await run(matrixBin, [
      '--profile',
      'smoke',
      '--stacks',
      'prefork-rr,supervisor-node',
      '--port',
      '18080',
      ...out(),
    ]);
    assert.equal(r.code, 2);
    assert.match(
      r.stderr,
      /--port 18080: interleaved rounds run 2 stacks side by side.*--sequential/,
    );
  });

  test('a bad samples or interleave key in the profile names the file and key', async () => {
    const stacks = join(dir, 'stacks-bad-profile');
    mkdirSync(stacks);
    cpSync(join(root, 'stacks/prefork-rr.toml'), join(stacks, 'prefork-rr.toml'));
    writeFileSync(
      join(stacks, 'profiles.toml'),
      'default = "p"\n[p]\nworkers = 2\ncycles = [2]\nduration_s = 1\nsamples = 0\n',
    );
    const r = await run(matrixBin, ['--stacks-dir', stacks, ...out()]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /profiles\.toml: p\.samples: must be at least 1/);
    writeFileSync(
      join(stacks, 'profiles.toml'),
      'default = "p"\n[p]\nworkers = 2\ncycles = [2]\nduration_s = 1\ninterleave = "yes"\n',
    );
    const bool = await run(matrixBin, ['--stacks-dir', stacks, ...out()]);
    assert.equal(bool.code, 2);
    assert.match(bool.stderr, /profiles\.toml: p\.interleave: must be true, false or "auto"/);
  });

  test('a busy port is refused before anything starts', async () => {
    const server: Server = createServer();
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
    try {
      const port = (server.address() as { port: number }).port;
      const r = await run(matrixBin, [
        '--profile',
        'smoke',
        '--stacks',
        'prefork-rr',
        '--port',
        String(port),
        ...out(),
      ]);
      assert.equal(r.code, 2);
      assert.match(r.stderr, new RegExp(`port ${port} on 127.0.0.1 is already in use`));
    } finally {
      server.close();
    }
  });

  test('an output directory that cannot be written', async () => {
    const file = join(dir, 'a-file');
    writeFileSync(file, '');
    const r = await run(matrixBin, [
      '--profile',
      'smoke',
      '--stacks',
      'prefork-rr',
      '--out',
      join(file, 'sub'),
    ]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /cannot write results to .*a-file\/sub.*ENOTDIR/);
  });

  test('a malformed stack file names the file and the key', async () => {
    const stacks = join(dir, 'stacks');
    const { cpSync } = await import('node:fs');
    cpSync(join(root, 'stacks/profiles.toml'), join(stacks, 'profiles.toml'));
    writeFileSync(
      join(stacks, 'broken.toml'),
      'title = "x"\n[[process]]\nargv = ["{node}", "{nope}"]\n',
    );
    const r = await run(matrixBin, ['--profile', 'smoke', '--stacks-dir', stacks, ...out()]);
    assert.equal(r.code, 2);
    assert.match(
      r.stderr,
      /broken\.toml: process\[0\]\.argv\[1\]: unknown placeholder \{nope\}; valid: \{workers\}/,
    );
  });
});

describe('bad load axes in a profile', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'stackbench-bad-axis-'));
    cpSync(join(root, 'stacks/prefork-rr.toml'), join(dir, 'prefork-rr.toml'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));
  const profile = async (body: string) => {
    writeFileSync(
      join(dir, 'profiles.toml'),
      `default = "p"\n[p]\nworkers = 2\nduration_s = 1\n${body}\n`,
    );
    return run(matrixBin, ['--stacks-dir', dir, '--out', join(dir, 'results')]);
  };

  test('seconds past what a timer can hold are refused, with the limit', async () => {
    const r = await profile('cycles = [2]\npause_s = 3000000');
    assert.equal(r.code, 2);
    assert.match(r.stderr, /p\.pause_s: must be at most 2147483/);
    const flag = await run(matrixBin, [
      '--stacks-dir',
      dir,
      '--duration',
      '3000000',
      '--out',
      join(dir, 'r'),
    ]);
    assert.equal(flag.code, 2);
    assert.match(flag.stderr, /--duration.*must be at most 2147483 seconds/);
  });

  test('connections must be known modes', async () => {
    const r = await profile('cycles = [2]\nconnections = ["keep-alive", "pipelined"]');
    assert.equal(r.code, 2);
    assert.match(r.stderr, /p\.connections: give keep-alive and\/or close, each once/);
  });

  test('two axes, none, or rates out of range name the key', async () => {
    const both = await profile('cycles = [2]\nrates = [100]');
    assert.equal(both.code, 2);
    assert.match(both.stderr, /p\.rates: give one load axis, not cycles and rates/);
    const none = await profile('');
    assert.equal(none.code, 2);
    assert.match(
      none.stderr,
      /p\.cycles: missing: give cycles, cycles_per_core \(closed loop\), rates or rates_of_capacity/,
    );
    const zero = await profile('rates = [0]');
    assert.equal(zero.code, 2);
    assert.match(zero.stderr, /p\.rates: must be a non-empty array of rates in requests\/s/);
    const fraction = await profile('rates_of_capacity = [3]');
    assert.equal(fraction.code, 2);
    assert.match(
      fraction.stderr,
      /p\.rates_of_capacity: must be a non-empty array of fractions of capacity \(0 < f ≤ 2\)/,
    );
  });
});
