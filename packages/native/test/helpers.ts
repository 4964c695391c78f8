/**
 * Test helpers: the pinned runtime a test needs (or a skip saying how to install it, a failure
 * when STACKBENCH_REQUIRE_RUNTIMES=1 as in CI), and a native entry started as a child in its own
 * process group, ended by group in `stop()`.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import type { TestContext } from 'node:test';
import { fileURLToPath } from 'node:url';
import { type Runtime, RuntimeMissingError, resolveRuntime } from '@stackbench/runtimes';

export const workspace = fileURLToPath(new URL('../../../../', import.meta.url));
export const bin = (name: string) =>
  fileURLToPath(new URL(`../../bin/stackbench-${name}.js`, import.meta.url));
export const fixture = (name: string) =>
  fileURLToPath(new URL(`../../test/fixtures/${name}`, import.meta.url));

/** The runtime, or null after marking the test skipped (installed in CI: there, missing fails). */
export async function runtimeOrSkip(t: TestContext, name: string): Promise<Runtime | null> {
  try {
    return await resolveRuntime(workspace, name);
  } catch (error) {
    if (!(error instanceof RuntimeMissingError) || process.env.STACKBENCH_REQUIRE_RUNTIMES === '1')
      throw error;
    t.skip(error.message);
    return null;
  }
}

export interface Entry {
  child: ChildProcess;
  output(): string;
  /** Resolves with the port from the "listening on" line. */
  listening: Promise<number>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stop(): void;
}

/** The argv that runs a native entry on `runtime` (Deno: `run --allow-all --unstable-net`). */
export function entryArgv(runtime: Runtime, entry: string, args: string[]): string[] {
  const deno =
    runtime.engine === 'deno' ? ['run', '--allow-all', '--unstable-net', '--no-prompt'] : [];
  return [runtime.binary, ...deno, bin(entry), ...args];
}

export function startEntry(argv: string[], env: NodeJS.ProcessEnv = {}): Entry {
  const child = spawn(argv[0] as string, argv.slice(1), {
    cwd: workspace,
    detached: true,
    env: { ...process.env, NO_COLOR: '1', DENO_NO_UPDATE_CHECK: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const listening = new Promise<number>((resolve, reject) => {
    const onData = (d: Buffer) => {
      out += d;
      const match = /listening on [^\s]+:(\d+)/.exec(out);
      if (match) resolve(Number(match[1]));
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.on('close', (code) => reject(new Error(`exited ${code} before listening:\n${out}`)));
  });
  listening.catch(() => {});
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal })),
  );
  return {
    child,
    output: () => out,
    listening,
    exited,
    stop() {
      try {
        if (child.pid) process.kill(-child.pid, 'SIGKILL');
      } catch {
        // gone already
      }
    },
  };
}

/** A free loopback port (bound, read, released). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** LISTEN sockets on 127.0.0.1:port, from /proc/net/tcp (one per SO_REUSEPORT process). */
export async function listenersOn(port: number): Promise<number> {
  const { readFileSync } = await import('node:fs');
  const hex = `0100007F:${port.toString(16).toUpperCase().padStart(4, '0')}`;
  return readFileSync('/proc/net/tcp', 'utf8')
    .split('\n')
    .filter((line) => {
      const cols = line.trim().split(/\s+/);
      return cols[1] === hex && cols[3] === '0A';
    }).length;
}
