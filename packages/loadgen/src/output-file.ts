/** `--output`: checked writable before any load is sent, written once at the end. */
import { writeFileSync } from 'node:fs';
import { outputWriteProblem } from '@stackbench/cli';
import { OutputNotWritableError } from './errors.js';

export function checkOutputWritable(path: string): void {
  const problem = outputWriteProblem(path, 'file');
  if (problem !== undefined) throw new OutputNotWritableError(path, problem);
}

/** A plain write, not an atomic one: `--output /dev/stdout` is a valid target. */
export function writeOutput(path: string, json: string): void {
  writeFileSync(path, json);
}
