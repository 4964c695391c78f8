/** `--output`: checked writable before any load is sent, written once at the end. */
import { accessSync, constants, statSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { OutputNotWritableError } from './errors.js';

export function checkOutputWritable(path: string): void {
  const full = resolve(path);
  let stat: ReturnType<typeof statSync> | undefined;
  try {
    stat = statSync(full);
  } catch {
    stat = undefined;
  }
  try {
    if (stat) {
      if (stat.isDirectory()) throw new OutputNotWritableError(path, 'it is a directory');
      accessSync(full, constants.W_OK);
      return;
    }
    const dir = dirname(full);
    if (!statSync(dir).isDirectory())
      throw new OutputNotWritableError(path, `${dir} is not a directory`);
    accessSync(dir, constants.W_OK);
  } catch (error) {
    if (error instanceof OutputNotWritableError) throw error;
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new OutputNotWritableError(
      path,
      code === 'ENOENT' ? 'its directory does not exist' : code,
    );
  }
}

export function writeOutput(path: string, json: string): void {
  writeFileSync(path, json);
}
