import assert from 'node:assert/strict';
import {
  chmodSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { outputWriteProblem, writeFileAtomic } from '../src/index.js';

const dir = mkdtempSync(join(tmpdir(), 'cli-output-'));
after(() => {
  if (existsSync(join(dir, 'locked'))) chmodSync(join(dir, 'locked'), 0o755);
  rmSync(dir, { recursive: true, force: true });
});
// root can write anywhere: the read-only cases hold only for a normal user
const root = process.getuid?.() === 0;

describe('outputWriteProblem', () => {
  it('file: a writable path is fine; a directory, a missing directory or a file parent are not', () => {
    assert.equal(outputWriteProblem(join(dir, 'new.json'), 'file'), undefined);
    assert.equal(outputWriteProblem(dir, 'file'), 'it is a directory');
    assert.equal(
      outputWriteProblem(join(dir, 'no', 'x.json'), 'file'),
      'its directory does not exist',
    );
    writeFileSync(join(dir, 'plain'), '');
    assert.match(
      outputWriteProblem(join(dir, 'plain', 'x.json'), 'file') ?? '',
      /is not a directory/,
    );
    assert.deepEqual(readdirSync(dir), ['plain'], 'nothing created');
  });

  it('directory: created with its parents and probed, the probe removed', () => {
    const nested = join(dir, 'a', 'b');
    assert.equal(outputWriteProblem(nested, 'directory'), undefined);
    assert.deepEqual(readdirSync(nested), []);
    assert.equal(outputWriteProblem(join(dir, 'plain', 'sub'), 'directory'), 'ENOTDIR');
  });

  it('a read-only directory is refused either way', {
    skip: root && 'root writes anywhere',
  }, () => {
    const locked = join(dir, 'locked');
    assert.equal(outputWriteProblem(locked, 'directory'), undefined);
    chmodSync(locked, 0o555);
    assert.equal(outputWriteProblem(locked, 'directory'), 'EACCES');
    assert.equal(outputWriteProblem(join(locked, 'x.json'), 'file'), 'EACCES');
  });
});

describe('writeFileAtomic', () => {
  it('replaces the content whole and leaves no temp file', () => {
    const sub = mkdtempSync(join(dir, 'w-'));
    const path = join(sub, 'set.json');
    writeFileAtomic(path, 'old\n');
    writeFileAtomic(path, 'new\n');
    assert.equal(readFileSync(path, 'utf8'), 'new\n');
    assert.deepEqual(readdirSync(sub), ['set.json']);
  });
});
