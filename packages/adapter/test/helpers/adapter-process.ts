/**
 * Starts the real adapter CLI as a child process (own process group, so `stop()` ends it and
 * anything it started), optionally handing it a listening socket at fd 3 and an IPC channel.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import type { Server } from 'node:net';
import { fileURLToPath } from 'node:url';
import type { WorkerMessage } from '@stackbench/protocol';

export const binPath = fileURLToPath(
  new URL('../../../bin/stackbench-adapter.js', import.meta.url),
);
export const packageRoot = fileURLToPath(new URL('../../../', import.meta.url));
export const fixture = (name: string) =>
  fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url));

export interface AdapterProcess {
  child: ChildProcess;
  pid: number;
  stderr(): string;
  messages: WorkerMessage[];
  /** Resolves with the address from the "listening on" line. */
  listening: Promise<string>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Kills the process group (idempotent; safe in `finally`). */
  stop(): void;
}

export interface StartOptions {
  /** A listening server whose socket the child gets at fd 3. */
  socket?: Server;
  /** Any other open fd of this process to hand over at fd 3 (bad-input tests). */
  fd3?: number;
  ipc?: boolean;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
}

/** The OS fd of a listening node:net server (Unix only; `_handle` is not public API). */
export function serverFd(server: Server): number {
  const handle = (server as unknown as { _handle?: { fd?: number } })._handle;
  if (typeof handle?.fd !== 'number' || handle.fd < 0) throw new Error('server has no fd');
  return handle.fd;
}

export function startAdapter(args: string[], options: StartOptions = {}): AdapterProcess {
  const stdio: (string | number)[] = ['ignore', 'pipe', 'pipe'];
  if (options.socket) stdio.push(serverFd(options.socket));
  else if (options.fd3 !== undefined) stdio.push(options.fd3);
  if (options.ipc) {
    if (stdio.length === 3) stdio.push('ignore');
    stdio.push('ipc');
  }
  const child = spawn(process.execPath, [binPath, ...args], {
    stdio: stdio as never,
    detached: true,
    cwd: options.cwd ?? packageRoot,
    env: { ...process.env, ...options.env },
  });
  let stderr = '';
  const messages: WorkerMessage[] = [];
  child.on('message', (message) => messages.push(message as WorkerMessage));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const listening = new Promise<string>((resolve, reject) => {
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (chunk: string) => {
      stderr += chunk;
      const match = /listening on (\S+)/.exec(stderr);
      if (match) resolve(match[1] as string);
    });
    exited.then(({ code }) =>
      reject(new Error(`adapter exited (${code}) before listening:\n${stderr}`)),
    );
  });
  listening.catch(() => {});
  let stopped = false;
  return {
    child,
    pid: child.pid as number,
    stderr: () => stderr,
    messages,
    listening,
    exited,
    stop() {
      if (stopped || child.exitCode !== null || child.signalCode !== null) return;
      stopped = true;
      try {
        process.kill(-(child.pid as number), 'SIGKILL');
      } catch {
        // already gone
      }
    },
  };
}

/** Runs the CLI to completion (for bad-input cases), with a time limit. */
export async function runAdapter(args: string[], options: StartOptions = {}) {
  const adapter = startAdapter(args, options);
  const timer = setTimeout(() => adapter.stop(), 15_000);
  const result = await adapter.exited;
  clearTimeout(timer);
  return { ...result, stderr: adapter.stderr() };
}
