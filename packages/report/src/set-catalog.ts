/**
 * The result sets under a results root (`results/<host>/<set-id>/manifest.json`), read by their
 * manifests alone, and which earlier set a new one is compared with: the newest comparable one
 * (same profile hash, kind of load and host class) that started before it.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Manifest } from '@stackbench/result';
import { incomparability } from './compare.js';
import { readManifest } from './read-set.js';

export interface CatalogEntry {
  dir: string;
  /** `<host>/<set-id>`, relative to the results root. */
  path: string;
  manifest: Manifest;
}

const isDir = (path: string) => {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
};

/** Every set of the root, newest first; directories without a readable manifest are left out. */
export function catalogSets(root: string): CatalogEntry[] {
  if (!isDir(root)) return [];
  const out: CatalogEntry[] = [];
  for (const host of readdirSync(root).sort()) {
    if (!isDir(join(root, host))) continue;
    for (const id of readdirSync(join(root, host)).sort()) {
      const dir = join(root, host, id);
      if (!existsSync(join(dir, 'manifest.json'))) continue;
      try {
        out.push({ dir, path: `${host}/${id}`, manifest: readManifest(dir) });
      } catch {
        // not a set this version reads (its report says why when built); not indexed
      }
    }
  }
  return out.sort(
    (a, b) =>
      b.manifest.startedAt.localeCompare(a.manifest.startedAt) || a.path.localeCompare(b.path),
  );
}

/**
 * The set a new one is compared with: the newest complete set of the root that started before
 * it and is comparable with it; or null, with the reason, when there is none.
 */
export function newestComparable(
  root: string,
  head: { dir: string; manifest: Manifest },
): { base: CatalogEntry | null; reason: string } {
  const earlier = catalogSets(root).filter(
    (e) =>
      resolve(e.dir) !== resolve(head.dir) &&
      e.manifest.complete &&
      e.manifest.startedAt < head.manifest.startedAt,
  );
  const base = earlier.find((e) => incomparability(e.manifest, head.manifest).length === 0);
  if (base)
    return {
      base,
      reason: 'the newest earlier complete set with the same profile hash, load and host class',
    };
  const m = head.manifest;
  return {
    base: null,
    reason:
      earlier.length === 0
        ? 'no earlier complete set in this results directory'
        : `none of the ${earlier.length} earlier complete sets has profile ${m.profile.name} with hash ${m.profile.hash} on host class ${m.host.cpuModel} × ${m.host.cores} cores`,
  };
}
