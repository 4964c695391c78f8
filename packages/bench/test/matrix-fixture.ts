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
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before } from 'node:test';
import { root, run } from './cli-run.js';

const matrixBin = join(root, 'packages/bench/bin/stackbench-matrix.js');

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

/**
 * A fixture for the tests of one describe block: made before them, and after them every process
 * carrying its marker killed and its directory removed, even when a test failed.
 */
export function useFixture(extraStacks: string[] = []): () => MatrixFixture {
  let fx: MatrixFixture | undefined;
  before(() => {
    fx = makeFixture(extraStacks);
  });
  after(() => {
    if (!fx) return;
    for (const pid of markedProcesses(fx.marker)) process.kill(pid, 'SIGKILL');
    rmSync(fx.dir, { recursive: true, force: true });
  });
  return () => fx as MatrixFixture;
}

/** stackbench-matrix on the fixture's stacks and output; the set directory it printed last. */
export async function matrixIn(
  fx: MatrixFixture,
  args: string[],
): Promise<{ result: Awaited<ReturnType<typeof run>>; set: string }> {
  const result = await run(matrixBin, [
    '--stacks-dir',
    fx.stacksDir,
    '--out',
    fx.outDir,
    '--plain',
    ...args,
  ]);
  return { result, set: result.stdout.trim().split('\n').at(-1) ?? '' };
}
