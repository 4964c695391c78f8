#!/usr/bin/env node
// Runs the compiled tests (dist/test/**/*.test.js) of the given package folders (default: every
// package) in one `node --test` run, one file at a time: the tests start real servers and load
// them, and on a 2-core host parallel files would disturb each other's timings. A file gets 600 s:
// the longest (the remote topology's, about a minute here) stays inside it on a host made several
// times slower (scripts/stress-tests.sh), and a hung file still ends.
// Usage: node scripts/run-tests.mjs [PACKAGE_DIR ...]   (extra node --test flags after --)
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(fileURLToPath(import.meta.url), '../..');
const split = process.argv.indexOf('--');
const args = split < 0 ? process.argv.slice(2) : process.argv.slice(2, split);
const extra = split < 0 ? [] : process.argv.slice(split + 1);
const packagesDir = join(root, 'packages');
const dirs = args.length
  ? args.map((dir) => resolve(dir))
  : readdirSync(packagesDir).map((name) => join(packagesDir, name));

function testFiles(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return testFiles(path);
    return name.endsWith('.test.js') ? [path] : [];
  });
}

const files = dirs.flatMap((dir) => testFiles(join(dir, 'dist', 'test'))).sort();
if (files.length === 0) {
  console.error(
    `run-tests: no compiled tests under ${dirs.map((d) => relative(root, d)).join(', ')} (build first)`,
  );
  process.exit(1);
}
const result = spawnSync(
  process.execPath,
  ['--test', '--test-concurrency=1', '--test-timeout=600000', ...extra, ...files],
  { stdio: 'inherit', cwd: root },
);
process.exit(result.status ?? 1);
