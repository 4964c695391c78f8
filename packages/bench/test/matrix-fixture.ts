/**
 * Test fixture: a stacks directory in a temp dir with real stacks (prefork-rr, supervisor-node),
 * the repo's profiles (the smoke profiles marked with a unique env variable so leftover processes can be
 * found by environment), and the never-ready and missing-requirement fixture stacks.
 */
import { randomUUID } from 'node:crypto';
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  writeFileSync,
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
  // every [NAME.app_env] table (the smoke profiles') gets the marker
  const profiles = join(stacksDir, 'profiles.toml');
  writeFileSync(
    profiles,
    readFileSync(profiles, 'utf8').replace(
      /^(\[[a-z-]+\.app_env\])$/gm,
      `$1\nSTACKBENCH_TEST_MARKER = "${marker}"`,
    ),
  );
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
