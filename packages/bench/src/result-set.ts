/**
 * The result set on disk: `results/<host-slug>/<UTC timestamp>-<profile>/`, its writability
 * checked before any load, manifest and stack files written atomically as soon as known.
 */
import { accessSync, constants, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  type Manifest,
  type StackResult,
  stackFileName,
  writeJsonAtomic,
} from '@stackbench/report';
import { OutputNotWritableError } from './errors.js';

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

/** Creates the directory and proves it writable, or throws `OutputNotWritableError`. */
export function prepareSetDirectory(dir: string): void {
  try {
    mkdirSync(dir, { recursive: true });
    accessSync(dir, constants.W_OK);
    const probe = join(dir, `.write-probe-${process.pid}`);
    writeFileSync(probe, '');
    rmSync(probe);
  } catch (error) {
    throw new OutputNotWritableError(dir, (error as NodeJS.ErrnoException).code ?? String(error));
  }
}

export function writeManifest(dir: string, manifest: Manifest): void {
  writeJsonAtomic(join(dir, 'manifest.json'), manifest);
}

export function writeStackResult(dir: string, result: StackResult): void {
  writeJsonAtomic(join(dir, stackFileName(result.stack.name)), result);
}
