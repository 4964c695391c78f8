/**
 * Test fixture: a stacks directory in a temp dir with real stacks (prefork-rr, supervisor-node),
 * the repo's profiles (smoke marked with a unique env variable so leftover processes can be
 * found by environment), and the never-ready and missing-requirement fixture stacks.
 */
import { randomUUID } from 'node:crypto';
import {
  appendFileSync,
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { root } from './cli-run.js';

export interface MatrixFixture {
  dir: string;
  stacksDir: string;
  outDir: string;
  marker: string;
}

export function makeFixture(extra: string[] = []): MatrixFixture {
  const dir = mkdtempSync(join(tmpdir(), 'stackbench-matrix-test-'));
  const stacksDir = join(dir, 'stacks');
  const marker = randomUUID();
  copyDir(join(root, 'stacks'), stacksDir, [
    'prefork-rr.toml',
    'supervisor-node.toml',
    'supervisor-node.ini',
    'profiles.toml',
  ]);
  for (const name of ['never-ready.toml', 'needs-missing.toml', 'flaky-once.toml', ...extra]) {
    copyFileSync(join(root, 'packages/bench/test/fixtures', name), join(stacksDir, name));
  }
  // [smoke.app_env] is the last table of profiles.toml
  appendFileSync(join(stacksDir, 'profiles.toml'), `STACKBENCH_TEST_MARKER = "${marker}"\n`);
  return { dir, stacksDir, outDir: join(dir, 'results'), marker };
}

function copyDir(from: string, to: string, names: string[]): void {
  mkdirSync(to, { recursive: true });
  for (const name of names) {
    copyFileSync(join(from, name), join(to, name));
  }
}

/** Pids of live processes whose environment carries the marker. */
export function markedProcesses(marker: string): number[] {
  const found: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name) || Number(name) === process.pid) continue;
    try {
      if (readFileSync(`/proc/${name}/environ`, 'latin1').includes(marker))
        found.push(Number(name));
    } catch {
      // gone or not readable
    }
  }
  return found;
}
