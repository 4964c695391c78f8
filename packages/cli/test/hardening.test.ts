import assert from 'node:assert/strict';
import {
  lstatSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import {
  MAX_TIMER_SECONDS,
  type OptionTable,
  parseCommandLine,
  UsageError,
  writeFileAtomic,
} from '../src/index.js';

const table = {
  grace: { type: 'number', min: 0, default: 30, seconds: true, description: 'seconds' },
} as const satisfies OptionTable;

describe('seconds options are bounded by what a timer can hold', () => {
  it('accepts the largest timer delay and refuses one past it, naming the flag and the limit', () => {
    const ok = parseCommandLine(table, ['--grace', String(MAX_TIMER_SECONDS)], {});
    assert.equal(ok.options.grace, MAX_TIMER_SECONDS);
    assert.throws(
      () => parseCommandLine(table, ['--grace', '3000000'], {}),
      (error: unknown) =>
        error instanceof UsageError &&
        /--grace \("3000000"\) must be at most 2147483 seconds/.test(error.message),
    );
  });
});

describe('writeFileAtomic', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cli-nofollow-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('replaces a planted symlink instead of writing through it', () => {
    const victim = join(dir, 'victim');
    writeFileSync(victim, 'precious\n', { mode: 0o644 });
    const link = join(dir, 'sup.token');
    symlinkSync(victim, link);
    writeFileAtomic(link, 'secret\n', 0o600);
    assert.equal(readFileSync(victim, 'utf8'), 'precious\n');
    assert.equal(lstatSync(victim).mode & 0o777, 0o644);
    assert.ok(lstatSync(link).isFile());
    assert.equal(lstatSync(link).mode & 0o777, 0o600);
    assert.equal(readFileSync(link, 'utf8'), 'secret\n');
    assert.deepEqual(readdirSync(dir).sort(), ['sup.token', 'victim']);
  });
});
