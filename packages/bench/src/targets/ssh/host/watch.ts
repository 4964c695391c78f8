/**
 * The watchdog a remote stack runs under (`stackbench-remote watch SPEC`), started by the
 * orchestrator over ssh with its stdin the ssh channel. It launches the stack as the `local`
 * target does (one process group per process, each leader under `setpriv --pdeathsig KILL`, the
 * stack reaper beside it) and ties the stack's life to the channel: when its stdin ends — the
 * orchestrator exited however it did, or the connection dropped (ServerAlive) — it SIGKILLs every
 * group and descendant and removes the run dir. If the watchdog itself is killed, the reaper
 * and the parent-death signal do the same.
 *
 * Its stdin takes one line, `stop SIGNAL GRACE_MS` (an orderly stop, as `RunningStack.stop`);
 * its stdout says what happened, one JSON object a line: `started` (groups), `exited` (reason),
 * `stopped` (the StopOutcome).
 */
import { rmSync, statSync } from 'node:fs';
import { stackPids } from '@stackbench/host-probe';
import { reaper } from '../../../session/stack-reaper.js';
import { launchLocal } from '../../local/local-stack.js';
import type { LaunchOptions, ProcessLaunch } from '../../target.js';

export interface WatchSpec extends LaunchOptions {
  processes: ProcessLaunch[];
  /** The run dir, removed when the watchdog ends. */
  dir: string;
}

export type WatchEvent =
  | { event: 'started'; pid: number; groups: number[] }
  | { event: 'exited'; reason: string }
  | { event: 'stopped'; killed: boolean; leftover: number[] }
  | { event: 'failed'; message: string }
  /** The last lines of the stack's log, when it grew (the orchestrator reports them on failure). */
  | { event: 'tail'; lines: string[] };

const TAIL_LINES = 30;

const emit = (e: WatchEvent) => process.stdout.write(`${JSON.stringify(e)}\n`);

/**
 * Resolves with the exit code once the watchdog is done (the stack stopped, the channel ended, a
 * signal came, or the launch failed); `stackbench-remote` exits with it at once.
 */
export function watch(spec: WatchSpec): Promise<number> {
  return new Promise<number>((finish) => {
    reaper().removeOnDeath(spec.dir);
    let groups: number[] = [];
    const killAll = () => {
      for (const pid of stackPids(groups)) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {}
      }
      for (const pgid of groups) {
        try {
          process.kill(-pgid, 'SIGKILL');
        } catch {}
      }
      rmSync(spec.dir, { recursive: true, force: true });
    };
    // a SIGHUP or SIGTERM of the session ends the stack as the channel's end does
    for (const signal of ['SIGHUP', 'SIGTERM', 'SIGINT'] as const) {
      process.on(signal, () => {
        killAll();
        finish(0);
      });
    }
    launchLocal(spec.processes, { cwd: spec.cwd, logFile: spec.logFile, cpus: spec.cpus }).then(
      (running) => {
        groups = [...running.groups];
        follow(spec, running, killAll, finish);
      },
      (error: unknown) => {
        emit({ event: 'failed', message: (error as Error).message });
        killAll();
        finish(1);
      },
    );
  });
}

/** Reports on the running stack until a `stop` line or the end of stdin. */
function follow(
  spec: WatchSpec,
  running: Awaited<ReturnType<typeof launchLocal>>,
  killAll: () => void,
  finish: (code: number) => void,
): void {
  emit({ event: 'started', pid: process.pid, groups: [...running.groups] });
  let reported = false;
  let logSize = 0;
  const sendTail = () => {
    const size = statSync(spec.logFile, { throwIfNoEntry: false })?.size ?? 0;
    if (size === logSize) return;
    logSize = size;
    emit({ event: 'tail', lines: running.logTail(TAIL_LINES) });
  };
  // the pids seen while it runs, so that stop checks children that were reparented away
  const tick = setInterval(() => {
    void running.snapshot().then(() => {
      sendTail();
      const reason = running.exitReason();
      if (reason && !reported) {
        reported = true;
        emit({ event: 'exited', reason });
      }
    });
  }, 500);
  let stopping = false;
  let pending = '';
  process.stdin.setEncoding('utf8');
  process.stdin.on('data', (chunk: string) => {
    const lines = (pending + chunk).split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) {
      const [verb, signal, grace] = line.trim().split(' ');
      if (verb !== 'stop' || stopping) continue;
      stopping = true;
      clearInterval(tick);
      void running
        .stop((signal ?? 'SIGTERM') as NodeJS.Signals, Number(grace) || 10_000)
        .then((outcome) => {
          emit({ event: 'stopped', ...outcome });
          rmSync(spec.dir, { recursive: true, force: true });
          finish(0);
        });
    }
  });
  process.stdin.on('end', () => {
    killAll();
    finish(0);
  });
}
