/**
 * Writing a file atomically and without following a link: readers (and a crash) see the old
 * content or the new, never half, and a symlink planted at `path` (`sup.token → ~/.bashrc`) is
 * replaced, never written through. The content goes to a new file created exclusively
 * (O_EXCL | O_NOFOLLOW: never an existing file or link) beside the target, which is then renamed
 * over it; rename(2) replaces a link itself, never what it points to.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, constants, openSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/** `mode` is the new file's (less the umask); 0o600 for a token or anything private. */
export function writeFileAtomic(path: string, content: string | Uint8Array, mode = 0o666): void {
  const temp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  const flags = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW;
  const fd = openSync(temp, flags, mode);
  try {
    try {
      writeFileSync(fd, content);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, path);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
}
