/**
 * The temp dir of one stack run (rendered configs, the stack's log, the supervisor's socket and
 * token). Removed on every way out that can run code: the run's own `finally`, process exit
 * (including the second Ctrl-C's `process.exit`), and, for SIGKILL, by the stack reaper. What a
 * killed run still leaves (the reaper killed too, a host crash) is removed by the next run:
 * each dir carries an owner file naming the orchestrator's pid and start time, and only dirs of
 * this user whose owner is gone are removed, never through a symlink.
 */
import {
  closeSync,
  constants,
  lstatSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { processStartTime } from '@stackbench/host-probe';
import { reaper } from './stack-reaper.js';

const PREFIX = 'stackbench-';
const OWNER_FILE = '.stackbench-owner';
/** `stackbench-<stack>-XXXXXX`, as mkdtemp names them. */
const RUN_DIR = /^stackbench-[A-Za-z0-9_.-]+-[A-Za-z0-9]{6}$/;

const live = new Set<string>();
let exitHookInstalled = false;

function removeNow(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
  live.delete(dir);
}

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const dir of live) removeNow(dir);
  });
}

/** Creates the run's temp dir (mode 0700, owner file inside) and registers it for cleanup. */
export function createRunDir(stackName: string, root = tmpdir()): string {
  installExitHook();
  const dir = mkdtempSync(join(root, `${PREFIX}${stackName.replace(/[^A-Za-z0-9_.-]/g, '_')}-`));
  const owner = `${JSON.stringify({ pid: process.pid, start: processStartTime(process.pid) })}\n`;
  const fd = openSync(
    join(dir, OWNER_FILE),
    constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW,
    0o600,
  );
  try {
    writeSync(fd, owner);
  } finally {
    closeSync(fd);
  }
  live.add(dir);
  reaper().removeOnDeath(dir);
  return dir;
}

/** Removes a run dir now (idempotent). */
export function removeRunDir(dir: string): void {
  removeNow(dir);
  reaper().forget(dir);
}

function ownerGone(dir: string): boolean {
  const file = join(dir, OWNER_FILE);
  const stat = lstatSync(file, { throwIfNoEntry: false });
  if (!stat?.isFile() || stat.uid !== process.getuid?.()) return false;
  let owner: { pid?: unknown; start?: unknown };
  try {
    owner = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return false;
  }
  if (typeof owner.pid !== 'number' || !Number.isSafeInteger(owner.pid) || owner.pid <= 0) {
    return false;
  }
  const start = processStartTime(owner.pid);
  // gone, or the pid now belongs to another process (started at another time)
  return start === null || start !== owner.start;
}

/**
 * Removes the run dirs under `root` left by orchestrators that are gone. Only real directories
 * (not symlinks) of this user, named as ours and holding our owner file, are touched; a live
 * run of another orchestrator (another checkout, a test) keeps its dir. Returns what it removed.
 */
export function cleanStaleRunDirs(root = tmpdir()): string[] {
  const removed: string[] = [];
  let names: string[];
  try {
    names = readdirSync(root);
  } catch {
    return removed;
  }
  for (const name of names) {
    if (!RUN_DIR.test(name)) continue;
    const dir = join(root, name);
    const stat = lstatSync(dir, { throwIfNoEntry: false });
    if (!stat?.isDirectory() || stat.uid !== process.getuid?.() || live.has(dir)) continue;
    if (!ownerGone(dir)) continue;
    rmSync(dir, { recursive: true, force: true });
    removed.push(dir);
  }
  return removed;
}
