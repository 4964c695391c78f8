/**
 * Starts the real `stackbench-prefork` bin in its own process group and follows its log, so tests
 * can wait for log lines (readiness is a message, never a fixed sleep). `end()` SIGKILLs the group,
 * master and workers, and is safe to call twice.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { isAlive } from '@stackbench/host-probe';

export const bin = fileURLToPath(new URL('../../../bin/stackbench-prefork.js', import.meta.url));
export const fixtures = fileURLToPath(new URL('../../../test/fixtures/', import.meta.url));
export const pidApp = `${fixtures}apps.mjs:pidApp`;
export const blockApp = `${fixtures}apps.mjs:blockApp`;

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

const live = new Set<PreforkProcess>();
// Safety net: whatever way the test process ends (a cancelled test skips its hooks), its
// prefork groups go with it.
process.once('exit', () => {
  for (const prefork of live) prefork.end();
});

export class PreforkProcess {
  readonly child: ChildProcess;
  readonly lines: string[] = [];
  readonly exited: Promise<Exit>;
  stdout = '';
  private waiters: (() => void)[] = [];

  constructor(args: readonly string[], env: NodeJS.ProcessEnv = {}) {
    this.child = spawn(process.execPath, [bin, ...args], {
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, ...env },
    });
    let partial = '';
    this.child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      const parts = (partial + chunk).split('\n');
      partial = parts.pop() ?? '';
      this.lines.push(...parts);
      for (const wake of this.waiters.splice(0)) wake();
    });
    this.child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      this.stdout += chunk;
    });
    live.add(this);
    this.exited = new Promise((resolve) => {
      this.child.once('exit', (code, signal) => {
        for (const wake of this.waiters.splice(0)) wake();
        resolve({ code, signal });
      });
    });
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  get log(): string {
    return this.lines.join('\n');
  }

  /** Waits until `count` log lines (from line `from` on) match; returns the matches. */
  async waitForLines(
    pattern: RegExp,
    count = 1,
    timeoutMs = 10_000,
    from = 0,
  ): Promise<RegExpMatchArray[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const matches = this.lines
        .slice(from)
        .map((line) => line.match(pattern))
        .filter((m): m is RegExpMatchArray => m !== null);
      if (matches.length >= count) return matches;
      const left = deadline - Date.now();
      if (left <= 0 || this.child.exitCode !== null || this.child.signalCode !== null) {
        throw new Error(
          `timed out waiting for ${count} × ${pattern} (got ${matches.length}); log:\n${this.log}`,
        );
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(left, 200));
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** Waits for "Listening at" and `workers` ready workers; returns the port and their pids. */
  async ready(workers: number): Promise<{ port: number; pids: number[] }> {
    const [listening] = await this.waitForLines(/Listening at: http:\/\/[^ ]+:(\d+) /);
    const ready = await this.waitForLines(/Worker (\d+) listening at/, workers);
    return { port: Number(listening?.[1]), pids: ready.map((m) => Number(m[1])) };
  }

  signal(signal: NodeJS.Signals): void {
    process.kill(this.pid, signal);
  }

  /** SIGKILL to the whole group (master and workers). */
  end(): void {
    try {
      process.kill(-this.pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
}

/** Alive and not a zombie (a reparented worker may linger as a zombie if init does not reap). */
export { isAlive };

export async function waitUntil(
  check: () => boolean,
  timeoutMs: number,
  what: string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
