/**
 * The workspace root (the checkout holding `nx.json` and `packages/`), found by walking up from
 * this file, which lives inside it (`packages/cli/dist/src/`). Bins used to count `..` from their
 * own path, which breaks as soon as a bin moves one folder.
 */
import { existsSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { StackbenchError } from './errors.js';

export class WorkspaceRootError extends StackbenchError {
  constructor(from: string) {
    super(
      'CLI_WORKSPACE_ROOT',
      `no directory holding nx.json and packages/ above ${from}; run stackbench from a checkout of the workspace (npm ci && the build)`,
    );
  }
}

function isRoot(dir: string): boolean {
  return (
    existsSync(join(dir, 'nx.json')) &&
    statSync(join(dir, 'packages'), { throwIfNoEntry: false })?.isDirectory() === true
  );
}

/** The first directory from `from` upwards that holds `nx.json` and `packages/`. */
export function workspaceRoot(from = dirname(fileURLToPath(import.meta.url))): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (isRoot(dir)) return dir;
    if (dirname(dir) === dir) throw new WorkspaceRootError(from);
  }
}
