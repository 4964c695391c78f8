/**
 * Test helper: runs a bin as a child in its own process group, collects its output, and always
 * ends the group (never by name).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = resolve(fileURLToPath(import.meta.url), '../../../../..');
export const matrixBin = resolve(root, 'packages/bench/bin/stackbench-matrix.js');

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface Running {
  child: ChildProcess;
  done: Promise<CliResult>;
  output: () => string;
}

export function start(bin: string, args: string[], env: NodeJS.ProcessEnv = {}): Running {
  const child = spawn(process.execPath, [bin, ...args], {
    cwd: root,
    detached: true,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d) => {
    stdout += d;
  });
  child.stderr?.on('data', (d) => {
    stderr += d;
  });
  const done = new Promise<CliResult>((resolveDone) => {
    child.on('close', (code, signal) => resolveDone({ code, signal, stdout, stderr }));
  });
  return { child, done, output: () => stdout + stderr };
}

export function killGroup(running: Running): void {
  try {
    if (running.child.pid) process.kill(-running.child.pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

export async function run(bin: string, args: string[], timeoutMs = 120_000): Promise<CliResult> {
  const running = start(bin, args);
  const timer = setTimeout(() => killGroup(running), timeoutMs);
  try {
    return await running.done;
  } finally {
    clearTimeout(timer);
    killGroup(running);
  }
}
