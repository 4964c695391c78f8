/**
 * One watcher: a pool of `numprocesses` identical processes. Spawns with warmup_delay between
 * spawns, notices a death at once (the child's exit event) and respawns, stops itself when it
 * flaps, scales with incr/decr, and reloads by rolling: a new process must be ready before an old
 * one is stopped. A watcher stopped on purpose (or by flapping) is never restarted by itself.
 */
import { closeSync, openSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { buildArgv, isProblemList } from './config/command-line.js';
import type { StreamTarget, WatcherConfig } from './config/types.js';
import { BadRequestError, ReloadError, WatcherStateError } from './errors.js';
import type { EventInput } from './events.js';
import { FlappingDetector } from './flapping.js';
import { MAX_PROCESSES } from './limits.js';
import { type ExitInfo, WorkerProcess } from './process.js';

export type WatcherState = 'active' | 'stopped';

export interface WatcherContext {
  /** Socket name → fd in the child, and the supervisor's fds in child fd order. */
  socketFdsByName: ReadonlyMap<string, number>;
  socketFds: readonly number[];
  checkDelayMs: number;
  publish(event: EventInput): void;
}

function openStream(target: StreamTarget): 'inherit' | 'ignore' | number {
  if (target.kind === 'inherit') return 'inherit';
  if (target.kind === 'null') return 'ignore';
  return openSync(target.path, 'a');
}

export class Watcher {
  readonly name: string;
  state: WatcherState = 'stopped';
  /** Why it is stopped: `not started`, `stopped by request`, `flapping: …`. */
  stopReason = 'not started';
  numprocesses: number;
  /** Processes counted in numprocesses (starting or ready), oldest first. */
  readonly processes: WorkerProcess[] = [];
  /** Processes asked to stop and not yet exited. */
  readonly stopping = new Set<WorkerProcess>();
  /** Respawns after unexpected deaths since the supervisor started. */
  restarts = 0;
  /** Requests reported by processes that have exited (so totals never go down). */
  retiredRequests = 0;
  retiredErrors = 0;
  reloading = false;
  private readonly stdout: 'inherit' | 'ignore' | number;
  private readonly stderr: 'inherit' | 'ignore' | number;
  private readonly flapping: FlappingDetector;
  private filling = false;
  private fillAgain = false;

  constructor(
    readonly config: WatcherConfig,
    private readonly context: WatcherContext,
  ) {
    this.name = config.name;
    this.numprocesses = config.numprocesses;
    this.stdout = openStream(config.stdout);
    this.stderr =
      config.stderr.kind === 'file' &&
      config.stdout.kind === 'file' &&
      config.stderr.path === config.stdout.path
        ? this.stdout
        : openStream(config.stderr);
    this.flapping = new FlappingDetector(config.maxRetry, config.flappingWindowMs);
  }

  private publish(event: EventInput): void {
    this.context.publish(event);
  }

  start(): void {
    if (this.state === 'active') return;
    this.state = 'active';
    this.stopReason = '';
    this.flapping.reset();
    this.publish({ type: 'watcher-start', watcher: this.name });
    void this.fill();
  }

  /** Spawns until the pool has numprocesses, warmup_delay apart; one filler runs at a time. */
  private async fill(): Promise<void> {
    if (this.filling) {
      this.fillAgain = true;
      return;
    }
    this.filling = true;
    try {
      do {
        this.fillAgain = false;
        while (this.state === 'active' && this.processes.length < this.numprocesses) {
          this.spawnOne();
          if (this.config.warmupDelayMs > 0) await sleep(this.config.warmupDelayMs);
        }
      } while (this.fillAgain);
    } finally {
      this.filling = false;
    }
  }

  private nextWid(): number {
    const used = new Set([...this.processes, ...this.stopping].map((p) => p.wid));
    let wid = 1;
    while (used.has(wid)) wid++;
    return wid;
  }

  private spawnOne(): WorkerProcess {
    const wid = this.nextWid();
    const argv = buildArgv(this.config.commandLine, {
      sockets: this.config.useSockets ? this.context.socketFdsByName : undefined,
      wid,
      env: this.config.env,
    });
    // Validated at load; a problem here is a bug, not user input.
    if (isProblemList(argv)) throw new Error(`watcher ${this.name}: ${argv.flat().join('; ')}`);
    const child = new WorkerProcess({
      argv,
      wid,
      cwd: this.config.workingDir,
      env: { ...this.config.env, STACKBENCH_WID: String(wid) },
      stdout: this.stdout,
      stderr: this.stderr,
      socketFds: this.config.useSockets ? this.context.socketFds : [],
      readiness: this.config.readiness,
      checkDelayMs: this.context.checkDelayMs,
      readyTimeoutMs: this.config.readyTimeoutMs,
    });
    this.processes.push(child);
    child.onLateStats = (requests, errors) => {
      this.retiredRequests += requests;
      this.retiredErrors += errors;
    };
    // pid -1: the program could not be started; a `spawn-error` follows instead of an exit.
    if (child.pid > 0)
      this.publish({ type: 'spawn', watcher: this.name, pid: child.pid, wid, argv });
    child.ready.then(
      (via) => this.publish({ type: 'ready', watcher: this.name, pid: child.pid, wid, via }),
      () => {},
    );
    void child.exited.then((info) => this.onExit(child, info));
    return child;
  }

  private onExit(child: WorkerProcess, info: ExitInfo): void {
    const index = this.processes.indexOf(child);
    if (index >= 0) this.processes.splice(index, 1);
    this.stopping.delete(child);
    this.retiredRequests += child.counters.requests;
    this.retiredErrors += child.counters.errors;
    const { pid, wid, expected } = child;
    if (child.spawnError !== undefined) {
      this.publish({ type: 'spawn-error', watcher: this.name, wid, message: child.spawnError });
    } else {
      this.publish({ type: 'exit', watcher: this.name, pid, wid, ...info, expected });
      this.publish({ type: 'reap', watcher: this.name, pid, wid });
    }
    if (expected || this.state !== 'active') return;
    if (this.flapping.record(Date.now())) {
      const reason = `flapping: ${this.flapping.maxDeaths} deaths within ${this.flapping.windowMs / 1000} s`;
      this.publish({
        type: 'flapping',
        watcher: this.name,
        deaths: this.flapping.maxDeaths,
        windowMs: this.flapping.windowMs,
        reason,
      });
      void this.stop(reason);
      return;
    }
    if (!this.config.respawn) return;
    this.restarts++;
    void this.fill();
  }

  private retire(child: WorkerProcess): Promise<ExitInfo> {
    const index = this.processes.indexOf(child);
    if (index >= 0) this.processes.splice(index, 1);
    this.stopping.add(child);
    return child.stop(this.config.stopSignal, this.config.gracefulTimeoutMs);
  }

  /** Stops every process (stop_signal, SIGKILL after graceful_timeout); resolves when all exited. */
  async stop(reason = 'stopped by request'): Promise<void> {
    const wasActive = this.state === 'active';
    this.state = 'stopped';
    this.stopReason = reason;
    await Promise.all([...this.processes].map((child) => this.retire(child)));
    await Promise.all([...this.stopping].map((child) => child.exited));
    if (wasActive) this.publish({ type: 'watcher-stop', watcher: this.name, reason });
  }

  async restart(): Promise<void> {
    await this.stop('restarting');
    this.start();
  }

  private setCount(to: number): void {
    const from = this.numprocesses;
    if (to === from) return;
    this.numprocesses = to;
    this.publish({ type: 'numprocesses', watcher: this.name, from, to });
  }

  incr(n: number): number {
    if (this.config.singleton && this.numprocesses + n > 1) {
      throw new WatcherStateError(this.name, 'is a singleton: at most 1 process');
    }
    if (this.numprocesses + n > MAX_PROCESSES) {
      throw new BadRequestError(
        `incr ${this.name} ${n}: would make ${this.numprocesses + n} processes; a watcher runs at most ${MAX_PROCESSES}`,
      );
    }
    this.setCount(this.numprocesses + n);
    void this.fill();
    return this.numprocesses;
  }

  /** Lowers the count and stops the newest processes (they have the least warm state). */
  decr(n: number): number {
    this.setCount(Math.max(0, this.numprocesses - n));
    const extra = this.processes.length - this.numprocesses;
    if (extra > 0) {
      const newest = [...this.processes].sort((a, b) => b.startedAt - a.startedAt).slice(0, extra);
      for (const child of newest) void this.retire(child);
    }
    return this.numprocesses;
  }

  /**
   * Rolling reload: for each old process, start a new one, wait until it is ready, then stop the
   * old one. The socket stays open in the supervisor throughout, so no connection is refused, and
   * an old process finishes its requests before it exits. A replacement that fails stops the
   * reload and keeps the remaining old processes.
   */
  async reload(): Promise<{ replaced: number }> {
    if (this.state !== 'active') {
      throw new WatcherStateError(this.name, `is stopped (${this.stopReason}); use start`);
    }
    if (this.reloading) throw new WatcherStateError(this.name, 'a reload is already running');
    this.reloading = true;
    const begin = Date.now();
    const old = [...this.processes];
    this.publish({ type: 'reload-start', watcher: this.name, processes: old.length });
    let replaced = 0;
    try {
      for (const previous of old) {
        if (this.state !== 'active') throw new ReloadError(this.name, 'the watcher was stopped');
        if (!this.processes.includes(previous)) continue;
        const fresh = this.spawnOne();
        try {
          await fresh.ready;
        } catch (error) {
          void this.retire(fresh);
          throw new ReloadError(this.name, `new process ${fresh.pid}: ${(error as Error).message}`);
        }
        await this.retire(previous);
        replaced++;
      }
      this.publish({
        type: 'reload-end',
        watcher: this.name,
        ok: true,
        durationMs: Date.now() - begin,
      });
      return { replaced };
    } catch (error) {
      const message = (error as Error).message;
      this.publish({
        type: 'reload-end',
        watcher: this.name,
        ok: false,
        message,
        durationMs: Date.now() - begin,
      });
      throw error;
    } finally {
      this.reloading = false;
      void this.fill();
    }
  }

  /** Sends a signal to every process, or to one pid of this watcher. Returns the pids signalled. */
  signal(signal: NodeJS.Signals, pid?: number): number[] {
    const targets = this.processes.filter((child) => pid === undefined || child.pid === pid);
    return targets.filter((child) => child.signal(signal)).map((child) => child.pid);
  }

  /** Closes the log files (after stop). */
  dispose(): void {
    for (const fd of new Set([this.stdout, this.stderr])) {
      if (typeof fd === 'number') closeSync(fd);
    }
  }
}
