import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { OutputNotWritableError } from '../src/errors.js';
import { claimSetDirectory } from '../src/set/result-set.js';

const root = mkdtempSync(join(tmpdir(), 'stackbench-result-set-'));
after(() => rmSync(root, { recursive: true, force: true }));

test('sets started in the same second get their own directories: <id>, <id>-2, <id>-3', () => {
  const out = join(root, 'claims');
  const ids = [1, 2, 3].map(() => claimSetDirectory(out, 'vm', '20261201T000000Z-smoke'));
  assert.deepEqual(
    ids.map((c) => c.setId),
    ['20261201T000000Z-smoke', '20261201T000000Z-smoke-2', '20261201T000000Z-smoke-3'],
  );
  for (const c of ids) {
    assert.equal(c.dir, join(out, 'vm', c.setId));
    assert.ok(statSync(c.dir).isDirectory());
  }
});

test('a results root that cannot hold directories: OutputNotWritableError naming it', () => {
  const file = join(root, 'a-file');
  writeFileSync(file, '');
  assert.throws(
    () => claimSetDirectory(file, 'vm', '20261201T000000Z-smoke'),
    (error: unknown) =>
      error instanceof OutputNotWritableError &&
      error.code === 'BENCH_OUTPUT_NOT_WRITABLE' &&
      error.message.includes(join(file, 'vm')),
  );
});
