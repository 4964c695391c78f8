/**
 * `bench:ab`: a pull request's base and head measured side by side in one set. The base (and a
 * named head) is built in a git worktree of its own; the matrix runs every chosen stack as
 * `STACK@base` and `STACK@head` in the same rounds (ab-units.ts, schedule.ts couples); the
 * verdict (report's ab-verdict.ts) compares the two round by round. What enters: two refs and
 * a profile; what leaves: the set, `compare.md` with the verdict, and the comparisons worse
 * beyond the threshold. Worktrees this run built are removed whatever happens.
 */
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
import { AbError } from '../errors.js';
import type { Overrides } from '../profile/profiles.js';
import type { AbInput, AbSideInput } from '../set/ab-units.js';
import { workspaceVersions } from '../set/ab-units.js';
import { type MatrixOptions, runMatrix } from '../set/matrix.js';
import { envText } from '../stack/twin.js';
import { suiteRevision } from '../targets/local/git-info.js';
import { localTarget } from '../targets/local/local-target.js';
import { type BuiltTree, buildTree, removeStaleTrees, resolveCommit } from './ab-tree.js';

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

/** A worktree this run built, and which side it is. */
interface Built {
  tree: BuiltTree;
  kind: 'base' | 'head';
}

/** One side as the set runs it, from its workspace (the worktree's own commit: a ref may move). */
async function sideAt(
  root: string,
  ref: string,
  env: Record<string, string>,
): Promise<AbSideInput> {
  const rev = await suiteRevision(root);
  return {
    ref,
    commit: rev.commit,
    dirty: rev.dirty,
    versions: workspaceVersions(root),
    env,
    root,
    stacksDir: join(root, 'stacks'),
  };
}

/** The base's workspace: the tree --base-tree names, or one built now. */
async function baseRoot(o: AbOptions, built: Built[]): Promise<string> {
  if (o.baseTree) {
    const root = resolve(o.baseTree);
    if (!existsSync(join(root, 'packages'))) {
      throw new AbError(`--base-tree ${o.baseTree}: not a built worktree (no packages/ in it)`);
    }
    return root;
  }
  return buildSide(o, 'base', o.baseRef, built);
}

async function buildSide(
  o: AbOptions,
  kind: Built['kind'],
  ref: string,
  built: Built[],
): Promise<string> {
  const tree = await buildTree({
    repo: o.repo,
    ref,
    dir: join(o.workDir, `${kind}-tree`),
    from: o.root,
    log: o.log,
    signal: o.signal,
    ...(o.build ? { build: o.build } : {}),
  });
  built.push({ tree, kind });
  return tree.dir;
}

export async function runAb(o: AbOptions): Promise<AbOutcome> {
  // a head ref that names nothing fails before the base is built (the base's is checked first
  // thing in its build)
  if (o.headRef !== undefined) await resolveCommit(o.repo, o.headRef);
  // a tree kept by --keep-tree and named by --base-tree is this run's base, not a leftover
  const spare = o.baseTree ? [resolve(o.baseTree)] : [];
  for (const dir of await removeStaleTrees(o.repo, o.workDir, spare)) {
    o.log(`ab: removed the worktree ${dir} a killed run left`);
  }
  const built: Built[] = [];
  try {
    const base = await sideAt(await baseRoot(o, built), o.baseRef, {});
    const head =
      o.headRef === undefined
        ? await sideAt(o.root, 'working tree', o.headEnv)
        : await sideAt(await buildSide(o, 'head', o.headRef, built), o.headRef, o.headEnv);
    const ab: AbInput = { base, head };
    o.log(
      `ab: base ${o.baseRef} = ${base.commit.slice(0, 12)}, head ${head.ref} = ${head.commit.slice(0, 12)}${head.dirty ? ' with changes' : ''}${Object.keys(o.headEnv).length ? ` and ${envText(o.headEnv)}` : ''}; measuring both in one set (profile ${o.profile})`,
    );
    const outcome = await runMatrix({
      root: o.root,
      stacksDir: head.stacksDir,
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
      ? `Its rounds took ${spent.spentS.toFixed(0)} s of a ${spent.budgetS} s budget (the first ${spent.initialSamples}, then ${spent.rounds.length} adaptive ones); ${spent.stopped ?? 'not stopped'}.`
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
    for (const { tree, kind } of built) {
      if (o.keepTree && kind === 'base') {
        tree.keep();
        o.log(`ab: kept the base worktree ${tree.dir} (--keep-tree); reuse it with --base-tree`);
      } else {
        await tree.remove();
      }
    }
  }
}
