/**
 * The arbiter (Gunicorn's name): owns the worker processes on node:cluster. It keeps -w workers
 * alive (dead ones are replaced at once), kills workers whose heartbeat stops (WORKER TIMEOUT),
 * replaces workers without a gap (HUP, max-requests: the successor must be listening before the
 * old one retires) and stops gracefully or fast. Signals are wired elsewhere (signals.ts).
 */
import cluster from 'node:cluster';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { isWorkerMessage, type WorkerMessage } from '@stackbench/protocol';
import type { PreforkConfig } from './config.js';
import { APP_LOAD_ERROR, WORKER_BOOT_ERROR, WorkerBootError } from './errors.js';
import { forkWorker } from './fork-worker.js';
import type { Logger } from './log.js';
import { MAX_WORKERS } from './options.js';
import { overdue } from './overdue.js';
import { type ExitedTotals, formatSummary } from './summary.js';
import { isCounted, type WorkerSlot } from './worker-slot.js';

const workerMain = fileURLToPath(new URL('./worker-main.js', import.meta.url));
const now = () => performance.now();
const reloadParallelism = Math.max(1, availableParallelism());

/** Heartbeat and check period: a quarter of the timeout, within 50 ms..1 s. */
export function heartbeatInterval(timeoutMs: number): number {
  return timeoutMs > 0 ? Math.min(1000, Math.max(50, Math.floor(timeoutMs / 4))) : 1000;
}

type State = 'running' | 'stopping' | 'stopped';

export class Arbiter {
  private readonly slots = new Map<number, WorkerSlot>();
  /** The final counts of the workers that exited, for the summary's totals. */
  private readonly exited: ExitedTotals = { workers: 0, requests: 0, errors: 0 };
  private target: number;
  private state: State = 'running';
  private spawned = 0;
  private tickTimer: NodeJS.Timeout | undefined;
  private lastTick = now();
  private stopDeadline = 0;
  private failure: Error | undefined;
  private readonly heartbeatMs: number;
  private readonly reloadQueue: WorkerSlot[] = [];
  private settle!: (error: Error | undefined) => void;
  /** Resolves when every worker is gone after a stop; rejects after a halt (boot failure). */
  readonly done: Promise<void>;

  constructor(
    private readonly config: PreforkConfig,
    private readonly log: Logger,
    private readonly port: number,
  ) {
    this.target = config.workers;
    this.heartbeatMs = heartbeatInterval(config.timeoutMs);
    this.done = new Promise<void>((resolve, reject) => {
      this.settle = (error) => (error ? reject(error) : resolve());
    });
  }

  /** Forks the workers. Call once; the schedule is frozen by node:cluster at the first fork. */
  start(): void {
    cluster.schedulingPolicy =
      this.config.schedule === 'rr' ? cluster.SCHED_RR : cluster.SCHED_NONE;
    cluster.setupPrimary({ exec: workerMain, args: [], silent: false });
    this.tickTimer = setInterval(() => this.tick(), this.heartbeatMs);
    this.manageWorkers();
  }

  get workerCount(): number {
    return this.slots.size;
  }

  /** The live workers, oldest first (for tests and the summary). */
  get pids(): number[] {
    return [...this.slots.values()].sort((a, b) => a.age - b.age).map((slot) => slot.pid);
  }

  /** TTIN */
  increment(): void {
    if (this.state !== 'running') return;
    if (this.target >= MAX_WORKERS) {
      this.log.warning(`Ignoring signal: ttin; already at the maximum of ${MAX_WORKERS} workers`);
      return;
    }
    this.target += 1;
    this.log.info(`Handling signal: ttin; workers: ${this.target}`);
    this.manageWorkers();
  }

  /** TTOU: never below one worker, as Gunicorn. */
  decrement(): void {
    if (this.state !== 'running' || this.target <= 1) return;
    this.target -= 1;
    this.log.info(`Handling signal: ttou; workers: ${this.target}`);
    this.manageWorkers();
  }

  /**
   * HUP: a successor for every worker; each old one retires once its successor listens. At most
   * one successor per CPU boots at a time (booting is CPU-bound, and -w 50 would otherwise mean
   * 100 processes at once).
   */
  reload(): void {
    if (this.state !== 'running') return;
    this.log.info('Handling signal: hup; reloading: new workers first, then the old ones retire');
    const queued = new Set(this.reloadQueue);
    for (const slot of [...this.slots.values()].sort((a, b) => a.age - b.age)) {
      if (isCounted(slot) && !slot.replaces && !queued.has(slot)) this.reloadQueue.push(slot);
    }
    this.pumpReload();
  }

  private pumpReload(): void {
    const booting = () => [...this.slots.values()].filter((slot) => slot.replaces).length;
    while (
      this.state === 'running' &&
      this.reloadQueue.length > 0 &&
      booting() < reloadParallelism
    ) {
      const old = this.reloadQueue.shift() as WorkerSlot;
      if (this.slots.has(old.worker.id)) this.replace(old);
    }
  }

  summary(): string {
    return formatSummary([...this.slots.values()], this.target, this.config.schedule, this.exited);
  }

  /** TERM (graceful: workers finish their requests) or INT/QUIT (fast). */
  stop(graceful: boolean): void {
    if (this.state !== 'running') return;
    this.state = 'stopping';
    // Gunicorn gives fast stops the same bound: QUIT ends a worker at once unless its loop is blocked.
    this.stopDeadline = now() + this.config.gracefulTimeoutMs;
    this.log.info(`${graceful ? 'Graceful' : 'Fast'} shutdown of ${this.slots.size} worker(s)`);
    for (const slot of this.slots.values()) {
      this.signal(slot, graceful ? 'SIGTERM' : 'SIGQUIT');
      slot.retiringSince ??= now();
    }
    this.finishIfEmpty();
  }

  private halt(error: Error): void {
    this.failure ??= error;
    this.stop(false);
  }

  private spawn(): WorkerSlot {
    const slot = forkWorker({
      config: this.config,
      port: this.port,
      heartbeatMs: this.heartbeatMs,
      age: this.spawned++,
      at: now(),
    });
    const { worker } = slot;
    this.slots.set(worker.id, slot);
    worker.on('message', (message: unknown) => {
      if (isWorkerMessage(message)) this.onMessage(slot, message);
    });
    worker.on('exit', (code: number | null, signal: string | null) =>
      this.onExit(slot, code, signal),
    );
    // Without a listener an IPC error (worker gone mid-send) would crash the master.
    worker.on('error', (error: Error) => this.log.warning(`worker ${slot.pid}: ${error.message}`));
    this.log.info(`Booting worker with pid: ${slot.pid}`);
    return slot;
  }

  /** A successor first; `old` keeps serving until the successor is ready. */
  private replace(old: WorkerSlot): void {
    if (this.state !== 'running' || !isCounted(old)) return;
    const successor = this.spawn();
    successor.replaces = old;
    old.replacedBy = successor;
  }

  private retire(slot: WorkerSlot): void {
    if (slot.retiringSince !== undefined) return;
    slot.retiringSince = now();
    this.signal(slot, 'SIGTERM');
  }

  private signal(slot: WorkerSlot, signal: NodeJS.Signals): void {
    try {
      process.kill(slot.pid, signal);
    } catch {
      // Already gone: its exit event is on its way.
    }
  }

  private onMessage(slot: WorkerSlot, message: WorkerMessage): void {
    slot.lastSeen = now();
    if (message.type === 'ready' && !slot.ready) {
      slot.ready = true;
      this.log.info(`Worker ${slot.pid} listening at ${message.listen ?? '?'}`);
      const old = slot.replaces;
      slot.replaces = undefined;
      if (old) {
        old.replacedBy = undefined;
        this.retire(old);
        this.pumpReload();
      }
    } else if (message.type === 'stats') {
      // A report read after the exit event (the pipe drains after SIGCHLD): its growth goes to
      // the exited totals, which took the slot's counts at exit.
      const gone = !this.slots.has(slot.worker.id);
      if (gone) {
        this.exited.requests += message.requests - slot.stats.requests;
        this.exited.errors += message.errors - slot.stats.errors;
      }
      slot.stats = {
        requests: message.requests,
        inFlight: message.inFlight,
        errors: message.errors,
      };
      if (gone) return;
      if (slot.maxRequests > 0 && message.requests >= slot.maxRequests && isCounted(slot)) {
        this.log.info(`Autorestarting worker ${slot.pid} after ${message.requests} requests`);
        this.replace(slot);
      }
    }
  }

  private onExit(slot: WorkerSlot, code: number | null, signal: string | null): void {
    this.slots.delete(slot.worker.id);
    this.exited.workers += 1;
    this.exited.requests += slot.stats.requests;
    this.exited.errors += slot.stats.errors;
    if (slot.replaces) slot.replaces.replacedBy = undefined;
    if (slot.replacedBy) slot.replacedBy.replaces = undefined;
    const expected = slot.retiringSince !== undefined;
    if (signal && !expected) {
      this.log.error(`Worker (pid:${slot.pid}) was sent ${signal}!`);
    } else if (code && !expected) {
      this.log.error(`Worker (pid:${slot.pid}) exited with code ${code}`);
    } else {
      this.log.info(`Worker exiting (pid: ${slot.pid})`);
    }
    if (!slot.ready && (code === WORKER_BOOT_ERROR || code === APP_LOAD_ERROR)) {
      this.log.error(code === APP_LOAD_ERROR ? 'App failed to load.' : 'Worker failed to boot.');
      this.halt(new WorkerBootError(slot.pid, code));
    }
    this.manageWorkers();
    this.pumpReload();
    this.finishIfEmpty();
  }

  /** Gunicorn's manage_workers: spawn up to the target, retire the oldest above it. */
  private manageWorkers(): void {
    if (this.state !== 'running') return;
    const counted = [...this.slots.values()].filter(isCounted).sort((a, b) => a.age - b.age);
    for (let missing = this.target - counted.length; missing > 0; missing--) this.spawn();
    for (const slot of counted.slice(0, Math.max(0, counted.length - this.target))) {
      this.retire(slot);
    }
  }

  private tick(): void {
    const at = now();
    // If the master itself was stalled, heartbeats may sit unread in the pipes: give them one
    // round to arrive instead of blaming the workers.
    const stalled = at - this.lastTick > 2 * this.heartbeatMs;
    this.lastTick = at;
    if (stalled) return;
    // After the poll phase, so heartbeats that arrived with this tick are counted first.
    setImmediate(() => this.murderWorkers(at));
  }

  private murderWorkers(at: number): void {
    const rules = {
      stopping: this.state === 'stopping',
      stopDeadline: this.stopDeadline,
      gracefulTimeoutMs: this.config.gracefulTimeoutMs,
      timeoutMs: this.config.timeoutMs,
    };
    for (const slot of this.slots.values()) {
      const why = overdue(slot, at, rules);
      if (why === undefined) continue;
      if (why === 'late') {
        this.log.warning(`Worker (pid:${slot.pid}) did not exit in time; killing it`);
      } else {
        // SIGKILL rather than Gunicorn's SIGABRT first: a blocked Node event loop cannot run a
        // SIGABRT handler, so the abort would only add a core dump.
        this.log.critical(`WORKER TIMEOUT (pid:${slot.pid})`);
      }
      slot.killed = true;
      this.signal(slot, 'SIGKILL');
    }
  }

  private finishIfEmpty(): void {
    if (this.state !== 'stopping' || this.slots.size > 0) return;
    this.state = 'stopped';
    clearInterval(this.tickTimer);
    this.settle(this.failure);
  }
}
