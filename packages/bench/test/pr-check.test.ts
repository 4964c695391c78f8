/**
 * The pull-request check end to end with real git and real smoke sets: the base set committed
 * at a ref is found, copied out with git and compared with a head measured here; an unknown ref
 * and a base with no comparable set are refused with what to do.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { matrixBin, root, run } from './cli-run.js';

const prCheckBin = resolve(root, 'packages/bench/bin/stackbench-pr-check.js');
const scratch = mkdtempSync(join(tmpdir(), 'bench-pr-check-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

const git = (repo: string, ...args: string[]) =>
  execFileSync('git', ['-C', repo, ...args], {
    encoding: 'utf8',
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: 't',
      GIT_AUTHOR_EMAIL: 't@example.invalid',
      GIT_COMMITTER_NAME: 't',
      GIT_COMMITTER_EMAIL: 't@example.invalid',
    },
  });

describe('bench:pr-check', () => {
  const repo = join(scratch, 'repo');
  let baseSet = '';
  before(async () => {
    mkdirSync(repo);
    git(repo, 'init', '-q', '-b', 'main');
    git(repo, 'commit', '-q', '--allow-empty', '-m', 'empty');
    git(repo, 'tag', 'no-sets');
    // the base branch's committed set: the smoke profile, one stack, measured on this host
    const result = await run(matrixBin, [
      '--profile',
      'smoke',
      '--stacks',
      'prefork-rr',
      '--out',
      join(repo, 'results'),
      '--plain',
    ]);
    assert.equal(result.code, 0, result.stderr);
    baseSet = result.stdout.trim().split('\n').at(-1) ?? '';
    git(repo, 'add', 'results');
    git(repo, 'commit', '-q', '-m', 'a set');
  });

  test('finds the committed base set at the ref, measures the head, writes compare.md', async () => {
    const work = join(scratch, 'work');
    const result = await run(prCheckBin, [
      '--repo',
      repo,
      '--base-ref',
      'main',
      '--profile',
      'smoke',
      '--stacks',
      'prefork-rr',
      '--work',
      work,
      '--samples',
      '3',
      '--fail-on-regression',
      '1000',
      '--measure-base',
      'never',
    ]);
    assert.equal(result.code, 0, result.stderr);
    const id = baseSet.split('/').at(-1) as string;
    assert.match(
      result.stderr,
      new RegExp(`base set results/[a-z0-9-]+/${id} \\(the newest comparable set`),
    );
    assert.equal(result.stdout.trim(), join(work, 'compare.md'));
    const text = readFileSync(join(work, 'compare.md'), 'utf8');
    assert.match(
      text,
      /^# Benchmark check\n\nHead: this checkout, profile smoke\. Base: the set `results\//,
    );
    assert.match(text, /none found/);
    assert.match(
      text,
      /\| prefork-rr \| 2 \| [^|]+ n=2 \| [^|]+ n=3 \|/,
      'the head has the K asked for',
    );
    assert.match(text, new RegExp(`## stackbench compare: \`${id}\` → `));
    assert.match(
      text,
      /### RPS\n\n\| stack \| CUs \| base \| head \| change \|\n.*\n\| prefork-rr \| 2 \| /,
    );
    // copied out of git, not read from the working tree: the base dir is under the work dir
    assert.ok(
      existsSync(join(work, 'base', baseSet.split('/').slice(-2).join('/'), 'manifest.json')),
    );
  });

  test('an unknown base ref: exit 2, naming it and how to fetch it', async () => {
    const result = await run(prCheckBin, [
      '--repo',
      repo,
      '--base-ref',
      'origin/nope',
      '--work',
      join(scratch, 'w2'),
    ]);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /--base-ref origin\/nope: no such commit in .* \(fetch it first/);
  });

  test('no comparable set at the ref and --measure-base never: exit 2 with the reason', async () => {
    const result = await run(prCheckBin, [
      '--repo',
      repo,
      '--base-ref',
      'no-sets',
      '--profile',
      'smoke',
      '--stacks',
      'prefork-rr',
      '--work',
      join(scratch, 'w3'),
      '--measure-base',
      'never',
    ]);
    assert.equal(result.code, 2, result.stderr);
    assert.match(
      result.stderr,
      /no comparable base set: none of the 0 complete sets at [0-9a-f]{12} has profile smoke/,
    );
  });

  test('--measure-base takes auto or never only', async () => {
    const result = await run(prCheckBin, ['--measure-base', 'sometimes']);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /--measure-base/);
  });
});
