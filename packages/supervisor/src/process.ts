/**
 * One child process of a watcher: spawned in its own process group (so its children die with it),
 * with the IPC channel at fd 3 and the sockets at fd 4…, armed with the orphan guard. Tracks
 * readiness (IPC `ready` or alive for check_delay), the worker's cumulative `stats` reports, and
 * its exit. Each way it can end is a small step raced against the exit (stop signal, then SIGKILL
 * after the graceful timeout).
 */
import { type ChildProcess, type StdioOptions, spawn } from 'node:child_process';
import { isWorkerMessage, type WorkerCounters } from '@stackbench/protocol';
import type { Readiness } from './config/types.js';
import { orphanGuardPrefix } from './orphan-guard.js';

export interface ExitInfo {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export type ProcessState = 'starting' | 'ready' | 'stopping' | 'exited';

export interface SpawnOptions {
  argv: string[];
  wid: number;
  cwd: string;
  env: Record<string, string>;
  /** stdout, stderr: 'inherit', 'ignore' or an open fd. */
  stdout: 'inherit' | 'ignore' | number;
  stderr: 'inherit' | 'ignore' | number;
  /** Listening fds, placed at fd 4, 5, … in the child. */
  socketFds: readonly number[];
  readiness: Readiness;
  checkDelayMs: number;
  readyTimeoutMs: number;
}

export class WorkerProcess {
  readonly wid: number;
  readonly argv: string[];
  readonly startedAt = Date.now();
  readonly pid: number;
  state: ProcessState = 'starting';
  /** True once the supervisor asked it to stop: its exit is not a death. */
  expected = false;
  /** Last cumulative counters it reported (zero until its first `stats`). */
  counters: WorkerCounters = { requests: 0, inFlight: 0, errors: 0 };
  readonly exited: Promise<ExitInfo>;
  /** Resolves with how readiness was seen; rejects if it exits or times out first. */
  readonly ready: Promise<'ipc' | 'delay'>;
  exitInfo: ExitInfo | undefined;
  /** Why the process could not be started at all (then `pid` is -1). */
  spawnError: string | undefined;
  private readonly child: ChildProcess;
  private readyTimers: NodeJS.Timeout[] = [];

  constructor(options: SpawnOptions) {
    this.wid = options.wid;
    this.argv = options.argv;
    const [program, ...args] = [...orphanGuardPrefix(), ...options.argv] as [string, ...string[]];
    const stdio: StdioOptions = [
      'ignore',
      options.stdout,
      options.stderr,
      'ipc',
      ...options.socketFds,
    ];
    this.child = spawn(program, args, {
      cwd: options.cwd,
      env: options.env,
      stdio,
      // A new session and process group: signals to -pid reach the worker's own children too.
      detached: true,
      serialization: 'json',
    });
    this.pid = this.child.pid ?? -1;
    this.exited = new Promise((resolve) => {
      const done = (info: ExitInfo) => {
        if (this.exitInfo) return;
        this.exitInfo = info;
        this.state = 'exited';
        for (const timer of this.readyTimers) clearTimeout(timer);
        this.killGroup('SIGKILL');
        resolve(info);
      };
      this.child.once('exit', (code, signal) => done({ code, signal }));
      // spawn failure (program not found without the setpriv wrapper): no exit event follows.
      this.child.once('error', (error) => {
        if (this.child.pid !== undefined) return;
        this.spawnError = error.message;
        done({ code: 127, signal: null });
      });
    });
    this.ready = this.watchReadiness(options);
    this.ready.catch(() => {});
    this.child.on('message', (message) => this.onMessage(message));
    // A worker that closes its IPC end is fine; errors on the channel must not crash us.
    this.child.on('error', () => {});
  }

  private watchReadiness(options: SpawnOptions): Promise<'ipc' | 'delay'> {
    return new Promise((resolve, reject) => {
      const markReady = (via: 'ipc' | 'delay') => {
        if (this.state !== 'starting') return;
        this.state = 'ready';
        for (const timer of this.readyTimers) clearTimeout(timer);
        resolve(via);
      };
      this.readyListener = () => markReady('ipc');
      if (options.readiness === 'delay') {
        this.readyTimers.push(setTimeout(() => markReady('delay'), options.checkDelayMs));
      } else {
        this.readyTimers.push(
          setTimeout(
            () => reject(new Error(`no IPC ready within ${options.readyTimeoutMs} ms`)),
            options.readyTimeoutMs,
          ),
        );
      }
      void this.exited.then((info) => {
        reject(new Error(`exited before ready (code ${info.code}, signal ${info.signal})`));
      });
    });
  }

  private readyListener: () => void = () => {};

  /** Called with (requests, errors) reported after the exit was seen. */
  onLateStats: ((requests: number, errors: number) => void) | undefined;

  private onMessage(message: unknown): void {
    if (!isWorkerMessage(message)) return;
    if (message.type === 'ready') this.readyListener();
    else if (message.type === 'stats') {
      // A final report may be read after the exit event: hand the difference to the watcher.
      if (this.exitInfo) {
        this.onLateStats?.(
          Math.max(0, message.requests - this.counters.requests),
          Math.max(0, message.errors - this.counters.errors),
        );
      }
      this.counters = {
        requests: message.requests,
        inFlight: message.inFlight,
        errors: message.errors,
      };
    }
  }

  /** Sends a signal to the worker itself (not its group); false if it is gone. */
  signal(signal: NodeJS.Signals): boolean {
    if (this.exitInfo || this.pid < 0) return false;
    try {
      process.kill(this.pid, signal);
      return true;
    } catch {
      return false;
    }
  }

  private killGroup(signal: NodeJS.Signals): void {
    if (this.pid < 0) return;
    try {
      process.kill(-this.pid, signal);
    } catch {}
  }

  /** stop_signal to the group, SIGKILL after `gracefulMs`; resolves when it has exited. */
  async stop(signal: NodeJS.Signals, gracefulMs: number): Promise<ExitInfo> {
    if (this.exitInfo) return this.exitInfo;
    this.expected = true;
    this.state = 'stopping';
    this.killGroup(signal);
    const timer = setTimeout(() => this.killGroup('SIGKILL'), gracefulMs);
    try {
      return await this.exited;
    } finally {
      clearTimeout(timer);
    }
  }

  /** Immediate SIGKILL of the group (supervisor shutdown after its own timeout). */
  kill(): void {
    this.expected = true;
    this.killGroup('SIGKILL');
  }
}
