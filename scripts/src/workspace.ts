/** Where the workspace is, seen from a compiled script (scripts/dist/*.js), and its CLIs. */
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = resolve(fileURLToPath(import.meta.url), '../../..');

/** The compiled command-line entries the scripts start as child processes. */
export const bins = {
  adapter: join(root, 'packages/adapter/bin/stackbench-adapter.js'),
  supervisor: join(root, 'packages/supervisor/bin/stackbench-supervisor.js'),
  prefork: join(root, 'packages/prefork/bin/stackbench-prefork.js'),
  matrix: join(root, 'packages/bench/bin/stackbench-matrix.js'),
} as const;
