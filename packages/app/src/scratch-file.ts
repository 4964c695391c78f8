/**
 * The seed's I/O step: a fresh temporary file (`tempfile.mkstemp`) receiving N small writes, each
 * the decimal text of the loop index. The seed leaked the fd and the file on every request; here
 * the name is removed as soon as the file is open (the writes go to the open file, as Python's
 * `TemporaryFile` does), so a worker killed mid-request leaves nothing behind, and the fd is
 * always closed. The same system calls as create, write, close, unlink: only their order moved.
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
    unlinkSync(path);
    for (let i = 0; i < writes; i++) writeSync(fd, String(i));
  } finally {
    closeSync(fd);
  }
}

/** The same writes through the libuv thread pool, so the event loop stays free. */
export async function writeScratchFileAsync(writes: number, dir = tmpdir()): Promise<void> {
  const path = freshPath(dir);
  const file = await open(path, 'wx', 0o600);
  try {
    await unlink(path);
    for (let i = 0; i < writes; i++) await file.write(String(i));
  } finally {
    await file.close();
  }
}

export function writeScratchFile(writes: number, mode: WriteMode, dir?: string): Promise<void> {
  if (mode === 'async') return writeScratchFileAsync(writes, dir);
  writeScratchFileSync(writes, dir);
  return Promise.resolve();
}
