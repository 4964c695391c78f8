/**
 * Writes a file so that readers (and a crash) see either the old content or the new, never half:
 * write a temp file beside it, then rename over it.
 */
import { renameSync, writeFileSync } from 'node:fs';
import { stableStringify } from './stable-json.js';

export function writeFileAtomic(path: string, content: string): void {
  const temp = `${path}.${process.pid}.tmp`;
  writeFileSync(temp, content);
  renameSync(temp, path);
}

/** `value` in the stable result-set format, written atomically. */
export function writeJsonAtomic(path: string, value: unknown): void {
  writeFileAtomic(path, stableStringify(value));
}
