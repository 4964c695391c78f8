/** A result-set JSON file in the stable format, written atomically (cli's `writeFileAtomic`). */
import { writeFileAtomic } from '@stackbench/cli';
import { stableStringify } from './stable-json.js';

/** `value` in the stable result-set format, written atomically. */
export function writeJsonAtomic(path: string, value: unknown): void {
  writeFileAtomic(path, stableStringify(value));
}
