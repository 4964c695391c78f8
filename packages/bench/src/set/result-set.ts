/**
 * The result set on disk: `results/<host-slug>/<UTC timestamp>-<profile>/`, its writability
 * checked before any load, manifest and stack files written atomically as soon as known.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { outputWriteProblem } from '@stackbench/cli';
import { stackFileName, writeJsonAtomic } from '@stackbench/report';
import type { Manifest, StackResult } from '@stackbench/result';
import { OutputNotWritableError } from '../errors.js';

/** `20261126T085405Z`: sorts by time, safe in file names. */
export function setTimestamp(date: Date): string {
  return date
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}Z$/, 'Z');
}

export function setDirectory(outRoot: string, hostSlug: string, setId: string): string {
  return join(outRoot, hostSlug, setId);
}

/**
 * A new set's directory, created by this run alone: a set started in the same second with the
 * same profile (same id) makes this one `<id>-2`, then `-3`… (mkdir fails on an existing
 * directory, so two runs racing cannot both take one). Proven writable as below.
 */
export function claimSetDirectory(
  outRoot: string,
  hostSlug: string,
  setId: string,
): { dir: string; setId: string } {
  const hostDir = join(outRoot, hostSlug);
  prepareSetDirectory(hostDir);
  for (let n = 1; ; n++) {
    const id = n === 1 ? setId : `${setId}-${n}`;
    const dir = setDirectory(outRoot, hostSlug, id);
    try {
      mkdirSync(dir);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') continue;
      throw new OutputNotWritableError(dir, code ?? String(error));
    }
    prepareSetDirectory(dir);
    return { dir, setId: id };
  }
}

/** Creates the directory and proves it writable, or throws `OutputNotWritableError`. */
export function prepareSetDirectory(dir: string): void {
  const problem = outputWriteProblem(dir, 'directory');
  if (problem !== undefined) throw new OutputNotWritableError(dir, problem);
}

export function writeManifest(dir: string, manifest: Manifest): void {
  writeJsonAtomic(join(dir, 'manifest.json'), manifest);
}

export function writeStackResult(dir: string, result: StackResult): void {
  writeJsonAtomic(join(dir, stackFileName(result.stack.name)), result);
}
