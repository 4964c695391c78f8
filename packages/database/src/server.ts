/**
 * The PostgreSQL processes: `initdb` once, then the postmaster started directly as our child (no
 * pg_ctl: its pid is the child's), in a session of its own, as the `postgres` OS user when we are
 * root (the server refuses root), and with a parent-death signal so that a SIGKILL of this Node
 * process still shuts it down. `setpriv` (util-linux) does both in one exec, with no shell.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { processTable } from '@stackbench/host-probe';
import type { PostgresInstall } from './install.js';
import { clusterProcesses } from './processes.js';
import type { ServerUser } from './run-dir.js';

/**
 * Sent to the postmaster when its parent dies: a fast shutdown (clients disconnected, clean
 * exit). SIGTERM would be a smart shutdown, which waits for the apps' pooled connections to end.
 */
export const PARENT_DEATH_SIGNAL = 'SIGINT';
/** How long a fast shutdown may take before the cluster is killed. */
const SHUTDOWN_GRACE_MS = 5_000;

/** `setpriv … ARGV`: as `user` (when given), with a parent-death signal. */
export function serverArgv(user: ServerUser | null, argv: readonly string[]): string[] {
  const identity = user ? [`--reuid=${user.uid}`, `--regid=${user.gid}`, '--init-groups'] : [];
  return ['setpriv', ...identity, '--pdeathsig', PARENT_DEATH_SIGNAL, ...argv];
}

/** The last `lines` lines of a log file ('' when unreadable), for error messages. */
export function logTail(path: string, lines = 15): string {
  try {
    return readFileSync(path, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface Child {
  process: ChildProcess;
  pid: number;
  exited: Promise<Exit>;
  /** null while it runs. */
  exit(): Exit | null;
}

/** Spawns `argv` with stdout and stderr appended to `logFile`; no shell, no pipes. */
export function spawnLogged(argv: string[], cwd: string, logFile: string): Promise<Child> {
  const log = openSync(logFile, 'a', 0o644);
  let child: ChildProcess;
  try {
    child = spawn(argv[0] as string, argv.slice(1), {
      cwd,
      detached: true,
      stdio: ['ignore', log, log],
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', LC_ALL: 'C', TZ: 'UTC' },
    });
  } finally {
    closeSync(log);
  }
  let exit: Exit | null = null;
  const exited = new Promise<Exit>((resolve) =>
    child.once('exit', (code, signal) => {
      exit = { code, signal };
      resolve(exit);
    }),
  );
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('spawn', () => {
      resolve({ process: child, pid: child.pid as number, exited, exit: () => exit });
    });
  });
}

export interface InitdbArgs {
  install: PostgresInstall;
  user: ServerUser | null;
  dataDir: string;
  cwd: string;
  logFile: string;
}

/** `initdb`: superuser `postgres`, trust auth, UTF8 in the C locale, no fsync (a scratch cluster). */
export function initdbArgv({ install, user, dataDir }: InitdbArgs): string[] {
  return serverArgv(user, [
    join(install.binDir, 'initdb'),
    '-D',
    dataDir,
    '-U',
    'postgres',
    '--auth=trust',
    '-E',
    'UTF8',
    '--locale=C',
    '--no-sync',
  ]);
}

export interface PostmasterArgs {
  install: PostgresInstall;
  user: ServerUser | null;
  dataDir: string;
  socketDir: string;
  port: number;
  maxConnections: number;
  /** TCP addresses to listen on ('' : the Unix socket only). */
  listen: string;
}

/**
 * The server's settings: the Unix socket only unless asked for TCP; durability off (the table is rebuilt every run, and
 * fsyncs would measure the disk, not the stacks); no autovacuum (the table is read-only once
 * filled, and vacuumed then); no JIT (one-row lookups).
 */
export function postmasterArgv(a: PostmasterArgs): string[] {
  const settings = {
    listen_addresses: a.listen,
    max_connections: String(a.maxConnections),
    superuser_reserved_connections: '0',
    fsync: 'off',
    synchronous_commit: 'off',
    full_page_writes: 'off',
    wal_level: 'minimal',
    max_wal_senders: '0',
    shared_buffers: '32MB',
    autovacuum: 'off',
    jit: 'off',
    huge_pages: 'off',
  };
  return serverArgv(a.user, [
    join(a.install.binDir, 'postgres'),
    '-D',
    a.dataDir,
    '-k',
    a.socketDir,
    '-p',
    String(a.port),
    ...Object.entries(settings).flatMap(([name, value]) => ['-c', `${name}=${value}`]),
  ]);
}

function signalPid(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // gone already
  }
}

function within<T>(promise: Promise<T>, ms: number): Promise<T | 'timeout'> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

async function allGone(pids: readonly number[], ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  for (;;) {
    const live = new Set(processTable().map((e) => e.pid));
    if (!pids.some((pid) => live.has(pid))) return true;
    if (Date.now() >= deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * Ends a server child and everything it started: `signal` (SIGINT: fast shutdown), then SIGKILL
 * of the whole tree after the grace. Resolves once none of them runs.
 */
export async function endTree(child: Child, signal: NodeJS.Signals = 'SIGINT'): Promise<void> {
  if (child.exit()) return;
  const tree = clusterProcesses(child.pid).map((p) => p.pid);
  signalPid(child.pid, signal);
  const ended = await within(child.exited, SHUTDOWN_GRACE_MS);
  if (ended === 'timeout' || !(await allGone(tree, SHUTDOWN_GRACE_MS))) {
    for (const pid of new Set([...tree, ...clusterProcesses(child.pid).map((p) => p.pid)]))
      signalPid(pid, 'SIGKILL');
    await within(child.exited, SHUTDOWN_GRACE_MS);
    await allGone(tree, SHUTDOWN_GRACE_MS);
  }
}
