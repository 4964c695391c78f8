/**
 * bench:ab's base worktree with real git, npm and process groups, on a tiny fixture workspace (a
 * package.json with workspaces, a lockfile, node_modules with a relative workspace link): built,
 * failed, aborted, killed or unknown, it leaves no worktree, no directory and no process.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  realpathSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type TestContext, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { AbTreeError } from '../src/errors.js';
import { buildTree, installOf, removeStaleTrees } from '../src/pr/ab-tree.js';

const id = ['user.name=t', 'user.email=t@example.invalid', 'commit.gpgsign=false'].flatMap(
  (setting) => ['-c', setting],
);
const git = (repo: string, ...args: string[]) =>
  execFileSync('git', ['-C', repo, ...id, ...args], { encoding: 'utf8' });

const lock = (version: string) =>
  JSON.stringify({
    name: 'fx',
    version,
    lockfileVersion: 3,
    requires: true,
    packages: {
      '': { name: 'fx', version, workspaces: ['packages/*'] },
      'node_modules/@fx/lib': { resolved: 'packages/lib', link: true },
      'packages/lib': { name: '@fx/lib', version: '1.0.0' },
    },
  });

const manifest = (version: string) =>
  JSON.stringify({
    name: 'fx',
    version,
    private: true,
    workspaces: ['packages/*'],
    scripts: { build: 'node build.js', slow: 'node slow.js' },
  });

const files: Record<string, string> = {
  '.gitignore': 'node_modules/\ndist/\n',
  'package.json': manifest('1.0.0'),
  'package-lock.json': lock('1.0.0'),
  'packages/lib/package.json': JSON.stringify({
    name: '@fx/lib',
    version: '1.0.0',
    main: 'index.js',
  }),
  'packages/lib/index.js': 'module.exports = { answer: 42 };\n',
  // the build resolves the workspace package through node_modules, as tsc/nx would
  'build.js': `const fs = require('node:fs');
fs.mkdirSync('dist', { recursive: true });
fs.writeFileSync('dist/out.txt', fs.realpathSync(require.resolve('@fx/lib')));
`,
  'fail.js': 'process.exit(3);\n',
  // a build with a child of its own: the child writes its pid (argv[2] is the file) and waits
  'slow.js': `const { spawn } = require('node:child_process');
const code = "require('fs').writeFileSync(process.argv[1], String(process.pid)); setInterval(() => {}, 1000)";
const child = spawn(process.execPath, ['-e', code, process.argv[2]], { stdio: 'inherit' });
child.on('exit', (c) => process.exit(c ?? 1));
`,
};

/** A committed fixture workspace with an installed node_modules (relative link, like npm's). */
function fixture(t: TestContext) {
  const scratch = realpathSync(mkdtempSync(join(tmpdir(), 'bench-ab-tree-')));
  t.after(() => rmSync(scratch, { recursive: true, force: true }));
  const repo = join(scratch, 'repo');
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(repo, name, '..'), { recursive: true });
    writeFileSync(join(repo, name), text);
  }
  git(repo, 'init', '-q', '-b', 'main');
  git(repo, 'add', '.');
  git(repo, 'commit', '-q', '-m', 'fixture');
  mkdirSync(join(repo, 'node_modules/@fx'), { recursive: true });
  symlinkSync('../../packages/lib', join(repo, 'node_modules/@fx/lib'));
  const lines: string[] = [];
  const base = {
    repo,
    from: repo,
    dir: join(scratch, 'trees', 'base'),
    log: (l: string) => lines.push(l),
  };
  return { scratch, repo, lines, base };
}

function assertNothingLeft(repo: string, dir: string) {
  const trees = git(repo, 'worktree', 'list', '--porcelain')
    .split('\n')
    .filter((line) => line.startsWith('worktree '));
  assert.deepEqual(trees, [`worktree ${repo}`]);
  assert.equal(existsSync(dir), false, `${dir} is left`);
}

/** Gone, or killed and only waiting to be reaped (an init that does not reap orphans, as here). */
function gone(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.startsWith('Z') === true;
  } catch {
    return true;
  }
}

async function waitFor(what: string, ok: () => boolean, ms = 10_000) {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) assert.fail(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

/** The pid the slow build's child writes, once it is there. */
async function childPid(file: string): Promise<number> {
  await waitFor('the build child', () => existsSync(file) && readFileSync(file, 'utf8') !== '');
  return Number(readFileSync(file, 'utf8'));
}

/** buildTree in a process of its own (one to kill); JSON drops `log`; `then` runs after it. */
function runner(t: TestContext, options: object, then = '') {
  const module = fileURLToPath(new URL('../src/pr/ab-tree.js', import.meta.url));
  const code = `const m = await import(${JSON.stringify(module)});
const tree = await m.buildTree({ ...${JSON.stringify(options)}, log: () => {} }); ${then}`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', code], { stdio: 'ignore' });
  t.after(() => child.kill('SIGKILL'));
  return child;
}

test('builds the ref in its own worktree with the copied node_modules; remove() leaves nothing', async (t) => {
  const { repo, lines, base } = fixture(t);
  const tree = await buildTree({ ...base, ref: 'main' });
  assert.equal(tree.commit, git(repo, 'rev-parse', 'HEAD').trim());
  assert.equal(tree.install, 'copied');
  assert.equal(readFileSync(join(tree.dir, 'fail.js'), 'utf8'), files['fail.js']);
  // the copied link is relative: it resolves into the tree's packages, not the head's
  const lib = join(tree.dir, 'packages/lib');
  assert.equal(realpathSync(join(tree.dir, 'node_modules/@fx/lib')), lib);
  assert.equal(readFileSync(join(tree.dir, 'dist/out.txt'), 'utf8'), join(lib, 'index.js'));
  assert.ok(tree.seconds > 0);
  const timed = lines.filter((l) => / of main \([0-9a-f]{12}\) done in \d+\.\d s$/.test(l));
  assert.deepEqual(
    timed.map((l) => l.split(' ')[1]),
    ['add', 'install', 'build'],
    lines.join('\n'),
  );
  await Promise.all([tree.remove(), tree.remove()]);
  await tree.remove(); // idempotent
  assertNothingLeft(repo, base.dir);
});

test('a failing build: the typed error names ref, step and exit code; nothing is left', async (t) => {
  const { repo, base } = fixture(t);
  const failing = buildTree({ ...base, ref: 'main', build: [process.execPath, 'fail.js'] });
  await assert.rejects(failing, (e) => {
    assert.ok(e instanceof AbTreeError);
    assert.equal(e.code, 'BENCH_AB_TREE');
    assert.equal(e.step, 'build');
    assert.match(
      e.message,
      /^bench:ab main \([0-9a-f]{12}\): build: .*fail\.js exited with code 3/,
    );
    return true;
  });
  assertNothingLeft(repo, base.dir);
});

test('an abort during the build ends the whole group (npm and its grandchild); nothing is left', async (t) => {
  const { scratch, repo, base } = fixture(t);
  const pidFile = join(scratch, 'child.pid');
  const controller = new AbortController();
  const built = buildTree({
    ...base,
    ref: 'main',
    signal: controller.signal,
    build: ['npm', 'run', 'slow', '--', pidFile],
  });
  const outcome = assert.rejects(built, (e) => {
    assert.ok(e instanceof AbTreeError);
    assert.equal(e.step, 'build');
    assert.equal(e.exitCode, 130);
    assert.match(
      e.message,
      /interrupted: npm run slow .* was ended by SIG|interrupted: npm run slow .* exited/,
    );
    return true;
  });
  const child = await childPid(pidFile);
  controller.abort();
  await outcome;
  assertNothingLeft(repo, base.dir);
  await waitFor(`pid ${child} to end`, () => gone(child), 5000);
});

test('an unknown ref: the message names it; nothing is made', async (t) => {
  const { repo, base } = fixture(t);
  await assert.rejects(buildTree({ ...base, ref: 'no-such-branch' }), (e) => {
    assert.ok(e instanceof AbTreeError);
    assert.equal(e.step, 'resolve');
    assert.match(e.message, /^bench:ab no-such-branch: resolve: not a commit in /);
    return true;
  });
  await assert.rejects(
    buildTree({ ...base, ref: '--help' }),
    /bench:ab --help: resolve: not a commit/,
  );
  assertNothingLeft(repo, base.dir);
});

test('a directory that is not empty is refused and left as it was', async (t) => {
  const { repo, base } = fixture(t);
  mkdirSync(base.dir, { recursive: true });
  writeFileSync(join(base.dir, 'keep'), 'x');
  await assert.rejects(
    buildTree({ ...base, ref: 'main' }),
    /add: .* exists and is not an empty directory/,
  );
  assert.equal(readFileSync(join(base.dir, 'keep'), 'utf8'), 'x');
  rmSync(base.dir, { recursive: true });
  assertNothingLeft(repo, base.dir);
});

test('a ref with another package-lock.json gets npm ci', async (t) => {
  assert.equal(installOf('a', 'a'), 'copied');
  assert.equal(installOf('a', 'b'), 'npm ci');
  assert.equal(installOf(null, null), 'npm ci');
  const { repo, base } = fixture(t);
  git(repo, 'tag', 'old');
  writeFileSync(join(repo, 'package.json'), manifest('1.0.1'));
  writeFileSync(join(repo, 'package-lock.json'), lock('1.0.1'));
  git(repo, 'commit', '-q', '-am', 'head');
  const tree = await buildTree({ ...base, ref: 'old' });
  try {
    assert.equal(tree.install, 'npm ci');
    assert.equal(
      realpathSync(join(tree.dir, 'node_modules/@fx/lib')),
      join(tree.dir, 'packages/lib'),
    );
    assert.ok(existsSync(join(tree.dir, 'dist/out.txt')));
  } finally {
    await tree.remove();
  }
  assertNothingLeft(repo, base.dir);
});

test('removeStaleTrees removes the worktrees under the parent, present or gone, and no other', async (t) => {
  const { scratch, repo } = fixture(t);
  const parent = join(scratch, 'trees');
  git(repo, 'worktree', 'add', '-q', '--detach', join(parent, 'a'), 'HEAD');
  git(repo, 'worktree', 'add', '-q', '--detach', join(parent, 'b'), 'HEAD');
  rmSync(join(parent, 'b'), { recursive: true }); // a tree whose directory is already gone
  const other = join(scratch, 'other');
  git(repo, 'worktree', 'add', '-q', '--detach', other, 'HEAD');
  const removed = await removeStaleTrees(repo, parent);
  assert.deepEqual(removed.sort(), [join(parent, 'a'), join(parent, 'b')]);
  assert.equal(existsSync(join(parent, 'a')), false);
  git(repo, 'worktree', 'remove', '--force', other);
  assertNothingLeft(repo, join(parent, 'a'));
});

test('a run killed (SIGKILL) mid-build: its group dies with it; removeStaleTrees clears the rest', async (t) => {
  const { scratch, repo, base } = fixture(t);
  const pidFile = join(scratch, 'child.pid');
  const run = runner(t, { ...base, ref: 'main', build: ['npm', 'run', 'slow', '--', pidFile] });
  const child = await childPid(pidFile);
  run.kill('SIGKILL');
  // the stack reaper kills the build's group and removes the tree's directory
  await waitFor(`pid ${child} to end`, () => gone(child), 5000);
  await waitFor('the tree directory to go', () => !existsSync(base.dir), 5000);
  assert.deepEqual(await removeStaleTrees(repo, join(scratch, 'trees')), [base.dir]);
  assertNothingLeft(repo, base.dir);
});

test('a built tree not kept goes with its process, however it exits', async (t) => {
  const { scratch, repo, base } = fixture(t);
  const run = runner(t, { ...base, ref: 'main' }, 'process.exit(130);');
  assert.equal(await new Promise((done) => run.on('exit', done)), 130);
  await waitFor('the tree directory to go', () => !existsSync(base.dir), 5000);
  assert.deepEqual(await removeStaleTrees(repo, join(scratch, 'trees')), [base.dir]);
  assertNothingLeft(repo, base.dir);
});

test('a kept tree outlives its process (for a later run) until removeStaleTrees', async (t) => {
  const { scratch, repo, base } = fixture(t);
  const run = runner(t, { ...base, ref: 'main' }, 'tree.keep(); process.exit(0);');
  const code = await new Promise((done) => run.on('exit', done));
  assert.equal(code, 0);
  assert.ok(existsSync(join(base.dir, 'dist/out.txt')), 'the kept tree is gone');
  const parent = join(scratch, 'trees');
  assert.deepEqual(await removeStaleTrees(repo, parent, [base.dir]), []);
  assert.ok(existsSync(base.dir), 'a spared tree was removed');
  assert.deepEqual(await removeStaleTrees(repo, parent), [base.dir]);
  assertNothingLeft(repo, base.dir);
});
