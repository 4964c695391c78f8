/**
 * The benchmark check of a pull request (`nx run bench:pr-check`, what the GitHub Actions
 * workflow runs). When a set committed at the base ref is comparable with what the head's set
 * would be (same profile hash and host class), the head is measured and compared with it like
 * `bench:compare`. Otherwise — a CI runner is rarely the host class of a committed set — base
 * and head are measured side by side in one A/B set (ab.ts), interleaved in the same rounds,
 * and the A/B verdict decides. Either way compare.md says which path was taken and why, and
 * the check fails on a significant regression beyond the threshold.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  abEffectLine,
  compareSets,
  DEFAULT_COMPARE,
  formatComparison,
  readResultSet,
  regressionsBeyond,
} from '@stackbench/report';
import { execa } from 'execa';
import { PrCheckError } from '../errors.js';
import { setOverrides } from '../profile/set-flags.js';
import type { MatrixOptions } from '../set/matrix.js';
import { newSeed } from '../set/schedule.js';
import { freshManifest } from '../set/set-manifest.js';
import { localTarget } from '../targets/local/local-target.js';
import { runAb } from './ab.js';
import { extractSet, newestComparableAt, resolveRef } from './base-set.js';

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
  /** K of the cells (default: the profile's). */
  samples?: number;
  failOnRegressionPct: number;
  /** Where the head and base sets, the base's worktree and compare.md go. */
  workDir: string;
  /** `auto`: base and head side by side in one set when no committed set is comparable; `never`: fail then. */
  measureBase: MeasureBase;
  log: (line: string) => void;
  signal: AbortSignal;
  progress: MatrixOptions['progress'];
}

export interface PrCheckOutcome {
  comparePath: string;
  headDir: string;
  baseDir: string;
  /** Where the base came from: a committed set, or measured beside the head in one A/B set. */
  baseSource: 'committed' | 'ab';
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
    ...(o.samples !== undefined ? ['--samples', String(o.samples)] : []),
    ...(o.stacks ? ['--stacks', o.stacks] : []),
    '--out',
    out,
    '--plain',
  ];
}

/** The head's manifest as a set would start it (profile, host), to look for a comparable base. */
async function draftManifest(o: PrCheckOptions) {
  const { manifest } = await freshManifest(
    {
      root: o.root,
      stacksDir: join(o.root, 'stacks'),
      outRoot: o.workDir,
      profile: o.profile,
      ...setOverrides(o),
      seed: 0,
      target: localTarget,
    },
    await localTarget.hostFacts(),
  );
  return manifest;
}

/** No comparable committed set: base and head measured side by side in one set (ab.ts). */
async function abCheck(o: PrCheckOptions, reason: string): Promise<PrCheckOutcome> {
  o.log(
    `pr-check: no committed base set (${reason}); measuring base and head in one set (bench:ab)`,
  );
  const ab = await runAb({
    root: o.root,
    repo: o.repo,
    baseRef: o.baseRef,
    headEnv: {},
    keepTree: false,
    profile: o.profile,
    ...setOverrides(o),
    seed: newSeed(),
    workDir: o.workDir,
    failOnRegressionPct: o.failOnRegressionPct,
    signal: o.signal,
    progress: o.progress,
    log: o.log,
    why: `Base ${o.baseRef}: no committed set is comparable (${reason}), so bench:pr-check measured base and head side by side.`,
  });
  o.log(ab.summary);
  return {
    comparePath: ab.comparePath,
    headDir: ab.dir,
    baseDir: ab.dir,
    baseSource: 'ab',
    regressions: ab.regressions.map(abEffectLine),
  };
}

export async function prCheck(o: PrCheckOptions): Promise<PrCheckOutcome> {
  const commit = await resolveRef(o.repo, o.baseRef);
  const found = await newestComparableAt(o.repo, commit, await draftManifest(o));
  if (!found.base) {
    if (o.measureBase === 'never') {
      throw new PrCheckError(
        `no comparable base set: ${found.reason}; without --measure-base never, base and head are measured side by side on this host`,
      );
    }
    return abCheck(o, found.reason);
  }
  o.log(
    `pr-check: base ${o.baseRef} is ${commit.slice(0, 12)}; base set ${found.base.path} (${found.reason}); measuring the head (profile ${o.profile})`,
  );
  const headDir = await runMatrixAt(o.root, matrixArgs(o, join(o.workDir, 'head')));
  const baseDir = await extractSet(o.repo, commit, found.base, join(o.workDir, 'base'));
  const base = readResultSet(baseDir);
  const headSet = readResultSet(headDir);
  const comparison = compareSets(base, headSet, DEFAULT_COMPARE);
  const regressions = regressionsBeyond(comparison, o.failOnRegressionPct);
  const comparePath = join(o.workDir, 'compare.md');
  const source = `the set \`${found.base.path}\` committed at ${o.baseRef} (${commit.slice(0, 12)}), ${found.reason}: compared with it rather than measuring the base here`;
  writeFileSync(
    comparePath,
    `# Benchmark check\n\nHead: this checkout, profile ${o.profile}. Base: ${source}. Fails on a significant regression larger than ${o.failOnRegressionPct} %: ${regressions.length ? `**${regressions.length} found**` : 'none found'}.\n\n${formatComparison(base, headSet, comparison)}`,
  );
  return { comparePath, headDir, baseDir, baseSource: 'committed', regressions };
}
