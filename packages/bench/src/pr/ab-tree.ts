/**
 * The base side of `bench:ab`: a ref built in a git worktree of its own, and gone again after.
 * Steps: resolve the ref, `git worktree add --detach`, install (a copy of the head's node_modules
 * when package-lock.json is the same, else `npm ci`), build. Each step runs as its own process
 * group, ended whole on exit or abort (npm's children: nx, tsc); if this process dies while a
 * tree is built, the stack reaper kills the group and removes the tree, and removeStaleTrees
 * clears what is left at the next start. On any failure the tree is removed before the typed
 * error (AbTreeError) is thrown. A built tree stays until remove() (or the next removeStaleTrees).
 */
import { existsSync, readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { parentDeathPrefix } from '@stackbench/cli';
import { execa } from 'execa';
import { AbTreeError } from '../errors.js';
import { reaper } from '../session/stack-reaper.js';

export interface TreeOptions {
  repo: string; // git repository the ref is in
  ref: string; // branch, tag or commit
  dir: string; // where the worktree goes (must not exist, or be an empty dir)
  /** the workspace whose node_modules may be copied (same package-lock.json) */
  from: string;
  log: (line: string) => void;
  signal?: AbortSignal; // Ctrl-C: stop install/build, remove the worktree, throw
  /** argv of the build, default ['npm','run','build']; tests pass a short one */
  build?: string[];
}

export interface BuiltTree {
  dir: string;
  commit: string;
  /** 'copied' | 'npm ci' */
  install: string;
  seconds: number;
  /** Removes the worktree, its directory and its registration; idempotent. */
  remove(): Promise<void>;
  /** Keeps the tree past this process (`--keep-tree`); until then, its exit removes the tree. */
  keep(): void;
}

type Step = AbTreeError['step'];

/** How a tree gets its node_modules: a copy only when both lockfiles exist and are identical. */
export function installOf(fromLock: string | null, treeLock: string | null): 'copied' | 'npm ci' {
  return fromLock !== null && fromLock === treeLock ? 'copied' : 'npm ci';
}

interface Ended {
  exitCode?: number;
  signal?: string;
  stdout: string;
  /** why it did not start (e.g. spawn ENOENT), when it did not */
  startError?: string;
}

// An inherited NX_WORKSPACE_ROOT_PATH would make nx build that workspace instead of the tree;
// the daemon would outlive the build (and the tree).
function childEnv(): Record<string, string | undefined> {
  const env: Record<string, string | undefined> = { ...process.env, NX_DAEMON: 'false' };
  delete env.NX_WORKSPACE_ROOT_PATH;
  return env;
}

function killGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {} // ESRCH: the group is gone already
}

/**
 * Runs argv as the leader of a new process group and ends that group when the leader exits or
 * `signal` aborts. Output goes straight to this process's stderr (a descriptor, not a pipe, so a
 * straggler holding it cannot keep us waiting); `capture` pipes stdout instead, for git queries.
 */
async function runGroup(
  argv: string[],
  cwd: string,
  opts: { signal?: AbortSignal; capture?: boolean } = {},
): Promise<Ended> {
  const full = [...parentDeathPrefix('KILL'), ...argv];
  const child = execa(full[0] as string, full.slice(1), {
    cwd,
    env: childEnv(),
    extendEnv: false,
    detached: true,
    cleanup: false,
    reject: false,
    stdio: ['ignore', opts.capture ? 'pipe' : 2, opts.capture ? 'pipe' : 2],
  });
  const pid = child.pid;
  if (pid === undefined) {
    const r = await child;
    return { stdout: '', startError: r.originalMessage || r.shortMessage };
  }
  reaper().killOnDeath(pid);
  let force: NodeJS.Timeout | undefined;
  const onAbort = () => {
    killGroup(pid, 'SIGTERM');
    force = setTimeout(() => killGroup(pid, 'SIGKILL'), 3000);
  };
  if (opts.signal?.aborted) onAbort();
  else opts.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    const r = await child;
    return { exitCode: r.exitCode, signal: r.signal, stdout: String(r.stdout ?? '') };
  } finally {
    opts.signal?.removeEventListener('abort', onAbort);
    clearTimeout(force);
    killGroup(pid, 'SIGKILL'); // whatever the leader left running (a tsc, a watcher)
    reaper().forget(pid);
  }
}

function outcome(argv: string[], r: Ended): string {
  const cmd = argv.join(' ');
  if (r.startError !== undefined) return `${cmd} did not start: ${r.startError}`;
  return r.signal ? `${cmd} was ended by ${r.signal}` : `${cmd} exited with code ${r.exitCode}`;
}

const seconds = (since: number) => (performance.now() - since) / 1000;

const readOrNull = (file: string) => (existsSync(file) ? readFileSync(file, 'utf8') : null);
/** A path as given and as git records it (symlinks resolved). */
const forms = (path: string) => [resolve(path), ...(existsSync(path) ? [realpathSync(path)] : [])];
const git = (repo: string, args: string[]) =>
  runGroup(['git', '-C', repo, ...args], repo, { capture: true });

/** node_modules dirs to copy: the root's, and any nested ones the lockfile places in workspaces. */
function moduleDirs(lock: string): string[] {
  const dirs = new Set(['node_modules']);
  try {
    const keys = Object.keys((JSON.parse(lock) as { packages?: object }).packages ?? {});
    for (const key of keys) {
      const at = key.indexOf('/node_modules/');
      if (at > 0 && !key.startsWith('node_modules/')) dirs.add(`${key.slice(0, at)}/node_modules`);
    }
  } catch {} // not JSON: npm ci would fail on it too; copy the root's only
  return [...dirs];
}

/** Removes the worktree, its directory and its registration; never throws on a missing part. */
async function discard(repo: string, dir: string): Promise<void> {
  await git(repo, ['worktree', 'remove', '--force', dir]);
  // retries: a just-killed writer may still finish one write into the tree
  await rm(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
  await git(repo, ['worktree', 'prune']);
  reaper().forget(dir);
}

/** The commit `ref` names in `repo`; a typed error naming the ref when it names none. */
export async function resolveCommit(repo: string, ref: string): Promise<string> {
  const fail = () =>
    new AbTreeError(
      ref,
      'resolve',
      `not a commit in ${repo}; give a branch, tag or commit of that repository (a remote branch may need git fetch first)`,
    );
  if (ref === '' || ref.startsWith('-')) throw fail(); // never an option to git
  const r = await git(repo, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]);
  const commit = r.stdout.trim();
  if (r.exitCode !== 0 || !/^[0-9a-f]{40,64}$/.test(commit)) throw fail();
  return commit;
}

export async function buildTree(o: TreeOptions): Promise<BuiltTree> {
  const started = performance.now();
  const repo = resolve(o.repo);
  const dir = resolve(o.dir);
  const from = resolve(o.from);
  const commit = await resolveCommit(repo, o.ref);
  const label = `${o.ref} (${commit.slice(0, 12)})`;
  if (existsSync(dir) && (!statSync(dir).isDirectory() || readdirSync(dir).length > 0)) {
    throw new AbTreeError(
      label,
      'add',
      `${dir} exists and is not an empty directory; give a directory that does not exist or is empty`,
    );
  }
  let step: Step = 'add';
  const run = async (argv: string[], cwd: string, what: string) => {
    const stop = { interrupted: true };
    if (o.signal?.aborted) throw new AbTreeError(label, step, 'interrupted before it began', stop);
    o.log(`bench:ab: ${step} of ${label}: ${what}`);
    const t = performance.now();
    const r = await runGroup(argv, cwd, { signal: o.signal });
    if (o.signal?.aborted)
      throw new AbTreeError(label, step, `interrupted: ${outcome(argv, r)}`, stop);
    if (r.exitCode !== 0) {
      throw new AbTreeError(label, step, `${outcome(argv, r)} in ${cwd} (its output is above)`);
    }
    o.log(`bench:ab: ${step} of ${label} done in ${seconds(t).toFixed(1)} s`);
  };
  reaper().removeOnDeath(dir);
  try {
    // --force: the registration a killed run left for this same path (its dir gone) is taken over
    await run(
      ['git', '-C', repo, 'worktree', 'add', '--detach', '--force', dir, commit],
      repo,
      `git worktree add ${dir}`,
    );
    step = 'install';
    const fromLock = readOrNull(join(from, 'package-lock.json'));
    let install = installOf(fromLock, readOrNull(join(dir, 'package-lock.json')));
    if (install === 'copied' && !existsSync(join(from, 'node_modules'))) install = 'npm ci';
    if (install === 'copied') {
      // the same lockfile: the head's install is the base's; cp -a keeps the workspace links
      // relative, so node_modules/@stackbench/X resolves into the tree's own packages/X
      for (const sub of moduleDirs(fromLock as string)) {
        const source = join(from, sub);
        if (existsSync(source) && existsSync(join(dir, sub, '..'))) {
          await run(
            ['cp', '-a', source, join(dir, sub, '..')],
            dir,
            `cp -a ${source} (same package-lock.json as ${from})`,
          );
        }
      }
    } else {
      await run(
        ['npm', 'ci', '--no-audit', '--no-fund'],
        dir,
        `npm ci (package-lock.json differs from ${from}'s)`,
      );
    }
    step = 'build';
    const build = o.build ?? ['npm', 'run', 'build'];
    await run(build, dir, `${build.join(' ')} (NX_DAEMON=false)`);
    // built: the caller removes it or keeps it; until then the reaper removes the directory when
    // this process ends in any way (SIGKILL too), and removeStaleTrees its registration later
    const total = seconds(started);
    o.log(`bench:ab: ${label} built in ${dir} in ${total.toFixed(1)} s (install: ${install})`);
    let removing: Promise<void> | undefined;
    return {
      dir,
      commit,
      install,
      seconds: total,
      keep: () => reaper().forget(dir),
      remove: () => {
        removing ??= discard(repo, dir).catch((cause: unknown) => {
          removing = undefined; // a later call tries again
          throw new AbTreeError(label, 'remove', `could not remove ${dir}: ${String(cause)}`, {
            cause,
          });
        });
        return removing;
      },
    };
  } catch (error) {
    o.log(
      `bench:ab: ${step} of ${label} failed after ${seconds(started).toFixed(1)} s; removing ${dir}`,
    );
    // the step's error is the one to report; a removal that fails too is only logged
    await discard(repo, dir).catch((e: unknown) =>
      o.log(`bench:ab: could not remove ${dir}: ${e}`),
    );
    if (error instanceof AbTreeError) throw error;
    throw new AbTreeError(label, step, String(error), { cause: error });
  }
}

/**
 * Worktrees of `repo` under `parent` left by a killed run (git worktree prune + remove): used at
 * start. `spare`: trees under `parent` to keep (one kept on purpose for reuse).
 */
export async function removeStaleTrees(
  repo: string,
  parent: string,
  spare: string[] = [],
): Promise<string[]> {
  const root = resolve(repo);
  const kept = new Set(spare.flatMap(forms));
  const listed = await git(root, ['worktree', 'list', '--porcelain', '-z']);
  if (listed.exitCode !== 0) {
    throw new AbTreeError(
      parent,
      'remove',
      `${outcome(['git worktree list'], listed)} in ${root}; give the git repository the trees were made from`,
    );
  }
  const paths = listed.stdout
    .split('\0')
    .filter((field) => field.startsWith('worktree '))
    .map((field) => field.slice('worktree '.length));
  // the first is the main worktree: never one to remove, whatever `parent` is
  const stale = paths.slice(1).filter(
    (path) =>
      !kept.has(path) &&
      forms(parent).some((p) => {
        const rel = relative(p, path);
        return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
      }),
  );
  for (const path of stale) await discard(root, path);
  await git(root, ['worktree', 'prune']);
  return stale;
}
