/**
 * The control token: random, written at start to a file only the supervisor's user can read
 * (0600). The dashboard and TCP control clients present it; the Unix endpoint (0600 itself) does
 * not need it.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { chmodSync, rmSync, writeFileSync } from 'node:fs';

export function writeTokenFile(path: string): string {
  const token = randomBytes(32).toString('hex');
  // mode applies on create only; chmod covers a file left by an earlier run.
  writeFileSync(path, `${token}\n`, { mode: 0o600 });
  chmodSync(path, 0o600);
  return token;
}

export function removeTokenFile(path: string): void {
  rmSync(path, { force: true });
}

export function tokenMatches(expected: string, given: unknown): boolean {
  if (typeof given !== 'string' || given.length !== expected.length) return false;
  return timingSafeEqual(Buffer.from(given), Buffer.from(expected));
}
