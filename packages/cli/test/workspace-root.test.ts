import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { WorkspaceRootError, workspaceRoot } from '../src/index.js';

describe('workspaceRoot', () => {
  const bare = mkdtempSync(join(tmpdir(), 'cli-root-'));
  after(() => rmSync(bare, { recursive: true, force: true }));

  it('from this package: the checkout holding nx.json and packages/', () => {
    const root = workspaceRoot();
    assert.ok(existsSync(join(root, 'nx.json')));
    assert.ok(existsSync(join(root, 'packages', 'cli', 'package.json')));
    assert.ok(fileURLToPath(import.meta.url).startsWith(`${root}/packages/cli/`));
  });

  it('from a deep folder of a tree that has both, that tree; from outside any, an error', () => {
    const deep = join(bare, 'packages', 'x', 'dist', 'src', 'bin');
    mkdirSync(deep, { recursive: true });
    assert.throws(() => workspaceRoot(deep), WorkspaceRootError, 'packages/ alone is not a root');
    writeFileSync(join(bare, 'nx.json'), '{}');
    assert.equal(workspaceRoot(deep), bare);
  });
});
