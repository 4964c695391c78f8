/**
 * Runs a real `stackbench-supervisor` for a test: writes the config into a fresh temp folder,
 * starts the bin in its own process group, waits until its endpoint answers, and always ends it
 * (SIGTERM, then SIGKILL of its group and of every worker pid it reported).
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ControlClient } from '../../src/control/client.js';
import type { SupervisorEvent } from '../../src/events.js';

const here = dirname(fileURLToPath(import.meta.url));
/** packages/supervisor */
export const packageDir = resolve(here, '../../..');
export const supervisorBin = join(packageDir, 'bin/stackbench-supervisor.js');
export const ctlBin = join(packageDir, 'bin/stackbench-ctl.js');
export const nodeWorker = join(packageDir, 'dist/test/fixtures/node-worker.js');
export const pythonWorker = join(packageDir, 'test/fixtures/hello_worker.py');

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function run(file: string, args: string[], timeoutMs = 20_000): Promise<RunResult> {
  return new Promise((done) => {
    execFile(process.execPath, [file, ...args], { timeout: timeoutMs }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : null) : 0;
      done({ code, stdout, stderr });
    });
  });
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls `check` every 50 ms until it returns a truthy value or `timeoutMs` passes. */
export async function waitFor<T>(
  what: string,
  check: () => T | Promise<T>,
  timeoutMs = 10_000,
): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

/**
 * A cumulative count once it has settled: the same value in readings more than one and a half
 * report intervals apart, so every worker has reported since the last request (the workers'
 * reports are the signal; the interval is theirs, not a guess). `read` must give a fresh snapshot
 * each time (`freshStats`), or two readings of one cached snapshot would look settled.
 */
export async function settled(
  read: () => Promise<number>,
  reportIntervalMs: number,
): Promise<number> {
  let last = await read();
  let since = Date.now();
  const result = await waitFor('the counts to settle', async () => {
    const value = await read();
    if (value !== last) {
      last = value;
      since = Date.now();
      return undefined;
    }
    return Date.now() - since > reportIntervalMs * 1.5 ? { value } : undefined;
  });
  return result.value;
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export class Daemon {
  output = '';
  readonly events: SupervisorEvent[] = [];
  private client: ControlClient | undefined;
  private readonly knownPids = new Set<number>();

  private constructor(
    readonly dir: string,
    readonly configPath: string,
    readonly child: ChildProcess,
  ) {
    child.stdout?.on('data', (chunk) => {
      this.output += chunk;
    });
    child.stderr?.on('data', (chunk) => {
      this.output += chunk;
    });
  }

  /** Writes `config` (with `{{dir}}` replaced by the temp folder) and starts the supervisor. */
  static async start(config: (dir: string) => string): Promise<Daemon> {
    const dir = mkdtempSync(join(tmpdir(), 'sb-supervisor-'));
    const configPath = join(dir, 'test.ini');
    writeFileSync(configPath, config(dir));
    const child = spawn(process.execPath, [supervisorBin, configPath], {
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const daemon = new Daemon(dir, configPath, child);
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    const connected = waitFor('the control endpoint', async () => {
      try {
        return await ControlClient.connect({ kind: 'unix', path: join(dir, 'test.sock') });
      } catch {
        return undefined;
      }
    });
    const client = await Promise.race([connected, exited.then(() => undefined)]);
    if (!client) {
      await daemon.stop();
      throw new Error(`supervisor exited at start:\n${daemon.output}`);
    }
    daemon.client = client;
    await client.stream({ command: 'events' }, (item) => {
      if (!('event' in item)) return;
      daemon.events.push(item.event);
      if ('pid' in item.event && item.event.type === 'spawn') daemon.knownPids.add(item.event.pid);
    });
    return daemon;
  }

  get ctl(): ControlClient {
    if (!this.client) throw new Error('not connected');
    return this.client;
  }

  /** Runs the real `stackbench-ctl` against this supervisor. */
  ctlCli(...args: string[]): Promise<RunResult> {
    return run(ctlBin, ['--config', this.configPath, ...args]);
  }

  async waitForEvent(
    what: string,
    match: (event: SupervisorEvent) => boolean,
    timeoutMs = 10_000,
  ): Promise<SupervisorEvent> {
    return waitFor(what, () => this.events.find(match), timeoutMs);
  }

  /** A stats snapshot taken after this call (`stats` answers the latest, up to an interval old). */
  async freshStats(watcher?: string) {
    const asked = Date.now();
    return waitFor('a fresh stats snapshot', async () => {
      const stats = await this.ctl.request({ command: 'stats', ...(watcher ? { watcher } : {}) });
      return stats.time >= asked ? stats : undefined;
    });
  }

  /** Pids of the processes of a watcher that are ready. */
  async readyPids(watcher: string): Promise<number[]> {
    const stats = await this.freshStats(watcher);
    return stats.watchers[0]?.processes.filter((p) => p.state === 'ready').map((p) => p.pid) ?? [];
  }

  async socketPort(name: string): Promise<number> {
    const status = await this.ctl.request({ command: 'status' });
    const socket = status.sockets.find((s) => s.name === name);
    return Number(socket?.address.split(':').pop());
  }

  /** Ends the supervisor and anything it started, whatever state the test left. */
  async stop(): Promise<void> {
    this.client?.close();
    const { pid } = this.child;
    if (pid !== undefined && this.child.exitCode === null && this.child.signalCode === null) {
      const exited = new Promise<void>((r) => this.child.once('exit', () => r()));
      process.kill(pid, 'SIGTERM');
      await Promise.race([exited, sleep(5000)]);
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {}
    }
    for (const worker of this.knownPids) {
      try {
        process.kill(-worker, 'SIGKILL');
      } catch {}
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}
