/** Where the workspace is, seen from a compiled script (scripts/dist/*.js), and its CLIs. */
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = resolve(fileURLToPath(import.meta.url), '../../..');

/** The supervisor's and adapter's entries in a workspace: this one, or a built `--baseline`. */
export const binsOf = (tree: string) => ({
  adapter: join(tree, 'packages/adapter/bin/stackbench-adapter.js'),
  supervisor: join(tree, 'packages/supervisor/bin/stackbench-supervisor.js'),
});

/** The compiled command-line entries the scripts start as child processes. */
export const bins = {
  ...binsOf(root),
  prefork: join(root, 'packages/prefork/bin/stackbench-prefork.js'),
  matrix: join(root, 'packages/bench/bin/stackbench-matrix.js'),
} as const;
