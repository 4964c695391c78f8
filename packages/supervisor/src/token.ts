/**
 * The control token: random, written at start to a file only the supervisor's user can read
 * (0600). The dashboard and TCP control clients present it; the Unix endpoint (0600 itself) does
 * not need it.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { rmSync } from 'node:fs';
import { writeFileAtomic } from '@stackbench/cli';

export function writeTokenFile(path: string): string {
  const token = randomBytes(32).toString('hex');
  // A new 0600 file renamed into place: a planted symlink is replaced, never written through.
  writeFileAtomic(path, `${token}\n`, 0o600);
  return token;
}

export function removeTokenFile(path: string): void {
  rmSync(path, { force: true });
}

/** Constant-time compare of whatever a client sent (any type, any bytes) with the token. */
export function tokenMatches(expected: string, given: unknown): boolean {
  if (typeof given !== 'string') return false;
  const a = Buffer.from(given, 'utf8');
  const b = Buffer.from(expected, 'utf8');
  // Lengths in bytes: 64 non-ASCII characters are more than 64 bytes.
  return a.length === b.length && timingSafeEqual(a, b);
}
