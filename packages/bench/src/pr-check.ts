/**
 * The benchmark check of a pull request (`nx run bench:pr-check`, what the GitHub Actions
 * workflow runs): measure the head with a short profile, find the base — the newest comparable
 * set committed at the base ref, or, when there is none (a CI runner is rarely the host class of
 * a committed set), the base commit measured on this same runner — and compare the two like
 * `bench:compare`, failing on a significant regression beyond a threshold.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  compareSets,
  DEFAULT_COMPARE,
  formatComparison,
  readManifest,
  readResultSet,
  regressionsBeyond,
} from '@stackbench/report';
import { execa } from 'execa';
import { extractSet, newestComparableAt, resolveRef } from './base-set.js';
import { PrCheckError } from './errors.js';

export type MeasureBase = 'auto' | 'never';

export interface PrCheckOptions {
  /** The workspace whose matrix measures the head (this checkout). */
  root: string;
  /** The git repository whose base ref holds the committed sets (usually `root`). */
  repo: string;
  baseRef: string;
  profile: string;
  /** Comma-separated stack names, or undefined for the profile's. */
  stacks?: string;
  /** K of the head's (and a measured base's) cells: enough for the test to decide. */
  samples: number;
  failOnRegressionPct: number;
  /** Where the head and base sets, the base's worktree and compare.md go. */
  workDir: string;
  /** `auto`: measure the base commit when no committed set is comparable; `never`: fail then. */
  measureBase: MeasureBase;
  log: (line: string) => void;
}

export interface PrCheckOutcome {
  comparePath: string;
  headDir: string;
  baseDir: string;
  /** Where the base came from: a committed set, or the base commit measured here. */
  baseSource: 'committed' | 'measured';
  /** Significant regressions larger than the threshold (empty: the check passes). */
  regressions: string[];
}

/** Runs a workspace's matrix CLI; its last stdout line is the set it wrote. */
async function runMatrixAt(workspace: string, args: string[]): Promise<string> {
  const bin = join(workspace, 'packages', 'bench', 'bin', 'stackbench-matrix.js');
  const result = await execa(process.execPath, [bin, ...args], {
    cwd: workspace,
    reject: false,
    stdout: 'pipe',
    stderr: 'inherit',
  });
  const dir = String(result.stdout).trim().split('\n').at(-1) ?? '';
  if (result.exitCode !== 0 || dir === '') {
    throw new PrCheckError(
      `the matrix in ${workspace} failed (exit code ${result.exitCode}); its messages are above`,
    );
  }
  return dir;
}

function matrixArgs(o: PrCheckOptions, out: string): string[] {
  return [
    '--profile',
    o.profile,
    '--samples',
    String(o.samples),
    ...(o.stacks ? ['--stacks', o.stacks] : []),
    '--out',
    out,
    '--plain',
  ];
}

/** Measures the base commit on this runner: a detached worktree, installed and built. */
async function measureBaseCommit(o: PrCheckOptions, commit: string): Promise<string> {
  const tree = join(o.workDir, 'base-tree');
  const run = async (file: string, args: string[], cwd: string) => {
    o.log(`pr-check: ${file} ${args.join(' ')} (in ${cwd})`);
    const r = await execa(file, args, { cwd, reject: false, stdout: 'inherit', stderr: 'inherit' });
    if (r.exitCode !== 0) {
      throw new PrCheckError(
        `${file} ${args.join(' ')} failed in ${cwd} (exit code ${r.exitCode})`,
      );
    }
  };
  await run('git', ['-C', o.repo, 'worktree', 'add', '--detach', '--force', tree, commit], o.repo);
  try {
    await run('npm', ['ci', '--no-audit', '--no-fund'], tree);
    await run('npm', ['run', 'build'], tree);
    return await runMatrixAt(tree, matrixArgs(o, join(o.workDir, 'base')));
  } finally {
    await execa('git', ['-C', o.repo, 'worktree', 'remove', '--force', tree], { reject: false });
  }
}

export async function prCheck(o: PrCheckOptions): Promise<PrCheckOutcome> {
  const commit = await resolveRef(o.repo, o.baseRef);
  o.log(
    `pr-check: base ${o.baseRef} is ${commit.slice(0, 12)}; measuring the head (profile ${o.profile})`,
  );
  const headDir = await runMatrixAt(o.root, matrixArgs(o, join(o.workDir, 'head')));
  const head = readManifest(headDir);
  const found = await newestComparableAt(o.repo, commit, head);
  let baseDir: string;
  let baseSource: PrCheckOutcome['baseSource'];
  if (found.base) {
    o.log(`pr-check: base set ${found.base.path} (${found.reason})`);
    baseDir = await extractSet(o.repo, commit, found.base, join(o.workDir, 'base'));
    baseSource = 'committed';
  } else if (o.measureBase === 'never') {
    throw new PrCheckError(
      `no comparable base set: ${found.reason}; without --measure-base never the base commit is measured on this host`,
    );
  } else {
    o.log(
      `pr-check: no committed base set (${found.reason}); measuring ${commit.slice(0, 12)} here`,
    );
    baseDir = await measureBaseCommit(o, commit);
    baseSource = 'measured';
  }
  const base = readResultSet(baseDir);
  const headSet = readResultSet(headDir);
  const comparison = compareSets(base, headSet, DEFAULT_COMPARE);
  const regressions = regressionsBeyond(comparison, o.failOnRegressionPct);
  const comparePath = join(o.workDir, 'compare.md');
  const source =
    baseSource === 'committed'
      ? `the set \`${found.base?.path}\` committed at ${o.baseRef} (${commit.slice(0, 12)})`
      : `${o.baseRef} (${commit.slice(0, 12)}) measured on this runner just after the head`;
  writeFileSync(
    comparePath,
    `# Benchmark check\n\nHead: this checkout, profile ${o.profile}. Base: ${source}. Fails on a significant regression larger than ${o.failOnRegressionPct} %: ${regressions.length ? `**${regressions.length} found**` : 'none found'}.\n\n${formatComparison(base, headSet, comparison)}`,
  );
  return { comparePath, headDir, baseDir, baseSource, regressions };
}
