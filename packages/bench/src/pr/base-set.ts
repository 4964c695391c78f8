/**
 * The base of a pull request's benchmark check: the newest result set at a git ref (the base
 * branch) that is comparable with the head's, read and copied out with git itself (`ls-tree`,
 * `show`) — no checkout, nothing of the working tree touched.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { incomparability } from '@stackbench/report';
import { MANIFEST_SCHEMA, type Manifest } from '@stackbench/result';
import { execa } from 'execa';
import { PrCheckError } from '../errors.js';

const SET_MANIFEST = /^results\/[^/]+\/[^/]+\/manifest\.json$/;

async function git(repo: string, args: string[], encoding: 'utf8' | 'buffer' = 'utf8') {
  const result = await execa('git', ['-C', repo, ...args], {
    reject: false,
    encoding,
    timeout: 60_000,
  });
  if (result.exitCode !== 0) {
    throw new PrCheckError(
      `git ${args.join(' ')} in ${repo} failed: ${String(result.stderr).trim()}`,
    );
  }
  return result.stdout;
}

/** The commit a ref names; a clear error when the ref is unknown (not fetched?). */
export async function resolveRef(repo: string, ref: string): Promise<string> {
  if (ref.startsWith('-')) throw new PrCheckError(`--base-ref ${ref}: not a git ref`);
  try {
    return String(await git(repo, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`])).trim();
  } catch {
    throw new PrCheckError(
      `--base-ref ${ref}: no such commit in ${repo} (fetch it first, e.g. git fetch origin main, and check out with fetch-depth 0)`,
    );
  }
}

export interface BaseCandidate {
  /** `results/<host>/<set-id>` at the ref. */
  path: string;
  manifest: Manifest;
}

/** The newest complete set at `commit` comparable with `head`, or null with the reason. */
export async function newestComparableAt(
  repo: string,
  commit: string,
  head: Manifest,
): Promise<{ base: BaseCandidate | null; reason: string }> {
  const files = String(await git(repo, ['ls-tree', '-r', '--name-only', commit, '--', 'results']))
    .split('\n')
    .filter((f) => SET_MANIFEST.test(f));
  const sets: BaseCandidate[] = [];
  for (const file of files) {
    try {
      const manifest = JSON.parse(
        String(await git(repo, ['show', `${commit}:${file}`])),
      ) as Manifest;
      if (manifest.schema === MANIFEST_SCHEMA && manifest.complete) {
        sets.push({ path: dirname(file), manifest });
      }
    } catch {
      // a set this version does not read is not a base
    }
  }
  sets.sort((a, b) => b.manifest.startedAt.localeCompare(a.manifest.startedAt));
  const base = sets.find((s) => incomparability(s.manifest, head).length === 0) ?? null;
  if (base) return { base, reason: `the newest comparable set at ${commit.slice(0, 12)}` };
  return {
    base: null,
    reason: `none of the ${sets.length} complete sets at ${commit.slice(0, 12)} has profile ${head.profile.name} (hash ${head.profile.hash}) on host class ${head.host.cpuModel} × ${head.host.cores} cores`,
  };
}

/** Copies the set's files at `commit` into `dest/<host>/<set-id>/`; returns that directory. */
export async function extractSet(
  repo: string,
  commit: string,
  set: BaseCandidate,
  dest: string,
): Promise<string> {
  const files = String(await git(repo, ['ls-tree', '-r', '--name-only', commit, '--', set.path]))
    .split('\n')
    .filter((f) => f.endsWith('.json') && !f.includes('/charts/'));
  const dir = join(dest, set.path.replace(/^results\//, ''));
  for (const file of files) {
    const target = join(dir, file.slice(set.path.length + 1));
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, (await git(repo, ['show', `${commit}:${file}`], 'buffer')) as Uint8Array);
  }
  return dir;
}
