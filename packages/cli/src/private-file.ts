/**
 * Writing a file whose path others may have prepared: a token or pid file in a shared directory.
 * `writeFileSync(path)` follows a symlink planted at `path` (`sup.token → ~/.bashrc`) and
 * overwrites, then chmods, its target. Here the content goes to a new file created exclusively
 * (O_EXCL | O_NOFOLLOW: never an existing file or link) beside the target, which is then renamed
 * over it; rename(2) replaces a link itself, never what it points to.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, constants, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

export function writeFileNoFollow(path: string, content: string, mode = 0o600): void {
  const temp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  const flags = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW;
  const fd = openSync(temp, flags, mode);
  try {
    try {
      writeSync(fd, content);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, path);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
}
