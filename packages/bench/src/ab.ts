/**
 * `bench:ab`: a pull request's base and head measured side by side in one set. The base (and a
 * named head) is built in a git worktree of its own; the matrix runs every chosen stack as
 * `STACK@base` and `STACK@head` in the same rounds (ab-units.ts, schedule.ts couples); the
 * verdict (report's ab-verdict.ts) compares the two round by round. What enters: two refs and
 * a profile; what leaves: the set, `compare.md` with the verdict, and the comparisons worse
 * beyond the threshold. Worktrees this run built are removed whatever happens.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  type AbEffect,
  type AbVerdict,
  abRegressions,
  abSummaryLine,
  abVerdict,
  axisOf,
  formatAbVerdict,
  readResultSet,
} from '@stackbench/report';
import { type BuiltTree, buildTree, removeStaleTrees } from './ab-tree.js';
import type { AbInput, AbSideInput } from './ab-units.js';
import { workspaceVersions } from './ab-units.js';
import { resolveRef } from './base-set.js';
import { AbError } from './errors.js';
import { suiteRevision } from './git-info.js';
import { localTarget } from './local-target.js';
import { type MatrixOptions, runMatrix } from './matrix.js';
import type { Overrides } from './profiles.js';

export interface AbOptions {
  /** This workspace: the matrix runs from here, and it is the head unless `headRef` is given. */
  root: string;
  /** The git repository the refs are in (usually `root`). */
  repo: string;
  baseRef: string;
  headRef?: string;
  /** App parameters on the head side only. */
  headEnv: Record<string, string>;
  /** A base worktree built earlier: used and kept. */
  baseTree?: string;
  keepTree: boolean;
  profile: string;
  overrides: Overrides;
  overridesText: Record<string, string>;
  seed: number;
  workDir: string;
  /** Threshold of `--fail-on-regression`, %; null: never fail on the verdict. */
  failOnRegressionPct: number | null;
  signal: AbortSignal;
  progress: MatrixOptions['progress'];
  log: (line: string) => void;
  /** The build command of a worktree (tests pass a short one). */
  build?: string[];
  /** Why this A/B set was measured (pr-check: no comparable committed set), for compare.md. */
  why?: string;
}

export interface AbOutcome {
  dir: string;
  verdict: AbVerdict;
  comparePath: string;
  /** Comparisons worse beyond the threshold over their whole interval (empty: none, or no threshold). */
  regressions: AbEffect[];
  /** One line: what was compared and what was found, for the log and the job summary. */
  summary: string;
}

/** A worktree this run built, and the exit hook that removes it on a forced exit. */
interface Built {
  tree: BuiltTree;
  unhook: () => void;
  kind: 'base' | 'head';
}

/** Removes the run's own worktrees even on a forced exit (a second Ctrl-C calls process.exit). */
function removeOnExit(repo: string, dir: string): () => void {
  const hook = () => {
    spawnSync('git', ['-C', repo, 'worktree', 'remove', '--force', dir], { stdio: 'ignore' });
  };
  process.once('exit', hook);
  return () => process.off('exit', hook);
}

async function side(
  o: AbOptions,
  name: 'base' | 'head',
  ref: string,
  built: Built[],
): Promise<AbSideInput> {
  const kept = name === 'base' ? o.baseTree : undefined;
  let root: string;
  if (kept) {
    root = resolve(kept);
    if (!existsSync(join(root, 'packages'))) {
      throw new AbError(`--base-tree ${kept}: not a built worktree (no packages/ in it)`);
    }
  } else {
    const dir = join(o.workDir, `${name}-tree`);
    const unhook = removeOnExit(o.repo, dir);
    const tree = await buildTree({
      repo: o.repo,
      ref,
      dir,
      from: o.root,
      log: o.log,
      signal: o.signal,
      ...(o.build ? { build: o.build } : {}),
    });
    built.push({ tree, unhook, kind: name });
    root = tree.dir;
  }
  // the worktree's own commit: the ref may have moved since it was built
  const rev = await suiteRevision(root);
  return {
    ref,
    commit: rev.commit,
    dirty: rev.dirty,
    versions: workspaceVersions(root),
    env: name === 'head' ? o.headEnv : {},
    root,
    stacksDir: join(root, 'stacks'),
  };
}

async function headSide(o: AbOptions, built: Built[]): Promise<AbSideInput> {
  if (o.headRef !== undefined) return side(o, 'head', o.headRef, built);
  const rev = await suiteRevision(o.root);
  return {
    ref: 'working tree',
    commit: rev.commit,
    dirty: rev.dirty,
    versions: workspaceVersions(o.root),
    env: o.headEnv,
    root: o.root,
    stacksDir: join(o.root, 'stacks'),
  };
}

export async function runAb(o: AbOptions): Promise<AbOutcome> {
  // refs first: a wrong one fails before anything is built
  await resolveRef(o.repo, o.baseRef);
  if (o.headRef !== undefined) await resolveRef(o.repo, o.headRef);
  // a tree kept by --keep-tree and named by --base-tree is this run's base, not a leftover
  const spare = o.baseTree ? [resolve(o.baseTree)] : [];
  for (const dir of await removeStaleTrees(o.repo, o.workDir, spare)) {
    o.log(`ab: removed the worktree ${dir} a killed run left`);
  }
  const built: Built[] = [];
  try {
    const base = await side(o, 'base', o.baseRef, built);
    const head = await headSide(o, built);
    const ab: AbInput = { base, head };
    o.log(
      `ab: base ${o.baseRef} = ${base.commit.slice(0, 12)}, head ${head.ref} = ${head.commit.slice(0, 12)}${head.dirty ? ' with changes' : ''}${Object.keys(o.headEnv).length ? ` and ${envText(o.headEnv)}` : ''}; measuring both in one set (profile ${o.profile})`,
    );
    const outcome = await runMatrix({
      root: o.root,
      stacksDir: head.root === o.root ? join(o.root, 'stacks') : head.stacksDir,
      outRoot: join(o.workDir, 'sets'),
      profile: o.profile,
      overrides: o.overrides,
      overridesText: o.overridesText,
      port: 0,
      seed: o.seed,
      target: localTarget,
      ab,
      signal: o.signal,
      progress: o.progress,
    });
    const set = readResultSet(outcome.dir);
    const verdict = abVerdict(set.stacks);
    const regressions =
      o.failOnRegressionPct === null ? [] : abRegressions(verdict, o.failOnRegressionPct);
    const comparePath = join(o.workDir, 'compare.md');
    const spent = outcome.manifest.method.adaptive;
    const spentText = spent
      ? `Spent ${spent.spentS.toFixed(0)} s of a ${spent.budgetS} s budget on adaptive rounds (${spent.rounds.length} after the first ${spent.initialSamples}); ${spent.stopped ?? 'not stopped'}.`
      : '';
    const threshold =
      o.failOnRegressionPct === null
        ? ''
        : ` Fails on a comparison worse by more than ${o.failOnRegressionPct} % over its whole interval: ${regressions.length ? `**${regressions.length} found**` : 'none found'}.`;
    writeFileSync(
      comparePath,
      `# Benchmark check: A/B in one set\n\nSet \`${outcome.manifest.setId}\`, profile ${outcome.manifest.profile.name}, measured on this host with base and head in the same rounds.${o.why ? ` ${o.why}` : ''}${threshold} ${spentText}\n\n${formatAbVerdict(verdict, outcome.manifest.ab, axisOf(outcome.manifest.profile.settings))}`,
    );
    const summary = `ab: ${abSummaryLine(verdict).replace(/\*/g, '')}`;
    return { dir: outcome.dir, verdict, comparePath, regressions, summary };
  } finally {
    for (const { tree, unhook, kind } of built) {
      unhook();
      if (o.keepTree && kind === 'base') {
        o.log(`ab: kept the base worktree ${tree.dir} (--keep-tree); reuse it with --base-tree`);
        continue;
      }
      await tree.remove();
    }
  }
}

const envText = (env: Record<string, string>) =>
  Object.entries(env)
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
