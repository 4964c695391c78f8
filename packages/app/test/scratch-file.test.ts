/**
 * The write step's file has no name while it is written: a worker SIGKILLed mid-request (a
 * timeout, a fault test, a killed stack) leaves nothing in the temp directory. Both ports: the
 * Node one and the Python one the gunicorn stacks serve. Each process is caught in its write
 * loop (its fd table shows the file, deleted), then killed.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';

const scratchModule = pathToFileURL(join(import.meta.dirname, '..', 'src', 'scratch-file.js')).href;
const pythonDir = join(import.meta.dirname, '..', '..', 'python');
const hasPython = spawnSync('python3', ['--version']).status === 0;
const children: ChildProcess[] = [];
const dirs: string[] = [];
after(() => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** The process's open files under `dir`, as /proc shows them. */
function openFilesIn(pid: number, dir: string): string[] {
  const fds = readdirSync(`/proc/${pid}/fd`);
  return fds
    .map((fd) => {
      try {
        return readlinkSync(`/proc/${pid}/fd/${fd}`);
      } catch {
        return '';
      }
    })
    .filter((target) => target.startsWith(dir));
}

async function killedMidWrite(command: string, args: string[], dir: string): Promise<string[]> {
  const child = spawn(command, args, { stdio: 'ignore', env: { ...process.env, TMPDIR: dir } });
  children.push(child);
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const deadline = Date.now() + 30_000;
  let seen: string[] = [];
  while (seen.length === 0) {
    if (Date.now() > deadline) throw new Error(`${command} never opened its scratch file`);
    if (child.exitCode !== null) throw new Error(`${command} exited with ${child.exitCode}`);
    try {
      seen = openFilesIn(child.pid as number, dir);
    } catch {
      // its /proc entry is not there yet
    }
    if (seen.length === 0) await new Promise((resolve) => setTimeout(resolve, 10));
  }
  child.kill('SIGKILL');
  await exited;
  return seen;
}

describe('the scratch file of the write step', () => {
  it('Node: nameless while written; a SIGKILL mid-write leaves no file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'scratch-node-'));
    dirs.push(dir);
    const code = `const { writeScratchFileSync } = await import(${JSON.stringify(scratchModule)});
      for (;;) writeScratchFileSync(1e6, ${JSON.stringify(dir)});`;
    const open = await killedMidWrite(process.execPath, ['--input-type=module', '-e', code], dir);
    assert.match(open[0] ?? '', / \(deleted\)$/, 'unlinked while open');
    assert.deepEqual(readdirSync(dir), []);
  });

  it('Python: the same', { skip: !hasPython && 'python3 not on PATH' }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'scratch-py-'));
    dirs.push(dir);
    const code = `import sys; sys.path.insert(0, ${JSON.stringify(pythonDir)})
import bench_app
while True: bench_app.write_scratch_file(10**6)`;
    const open = await killedMidWrite('python3', ['-c', code], dir);
    assert.match(open[0] ?? '', / \(deleted\)$/, 'unlinked while open');
    assert.deepEqual(readdirSync(dir), []);
  });
});
