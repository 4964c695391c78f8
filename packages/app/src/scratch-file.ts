/**
 * The seed's I/O step: a fresh temporary file (`tempfile.mkstemp`) receiving N small writes, each
 * the decimal text of the loop index. The seed leaked the fd and the file on every request; here
 * the file is always closed and removed, also when a write fails.
 */
import { closeSync, openSync, unlinkSync, writeSync } from 'node:fs';
import { open, unlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { WriteMode } from './params.js';

let sequence = 0;

function freshPath(dir: string): string {
  sequence += 1;
  return join(
    dir,
    `stackbench-${process.pid}-${sequence}-${Math.random().toString(36).slice(2, 8)}`,
  );
}

/** Blocking writes, like Python's `os.write`: the worker does nothing else meanwhile. */
export function writeScratchFileSync(writes: number, dir = tmpdir()): void {
  const path = freshPath(dir);
  const fd = openSync(path, 'wx', 0o600);
  try {
    for (let i = 0; i < writes; i++) writeSync(fd, String(i));
  } finally {
    closeSync(fd);
    unlinkSync(path);
  }
}

/** The same writes through the libuv thread pool, so the event loop stays free. */
export async function writeScratchFileAsync(writes: number, dir = tmpdir()): Promise<void> {
  const path = freshPath(dir);
  const file = await open(path, 'wx', 0o600);
  try {
    for (let i = 0; i < writes; i++) await file.write(String(i));
  } finally {
    await file.close();
    await unlink(path);
  }
}

export function writeScratchFile(writes: number, mode: WriteMode, dir?: string): Promise<void> {
  if (mode === 'async') return writeScratchFileAsync(writes, dir);
  writeScratchFileSync(writes, dir);
  return Promise.resolve();
}
