/**
 * A stack running on a remote target: the orchestrator's side of the watchdog (host/watch.ts).
 * The watchdog's ssh channel stays open while the stack runs; its stdin is held by this process,
 * so whatever ends this process ends the channel and the watchdog kills the stack. Readings
 * (processes, CPU, RSS, accept queue) are remote commands of their own; CPU % is the change of
 * cumulative CPU time between two readings.
 */
import { createInterface } from 'node:readline';
import { SshError } from '../../errors.js';
import type { LaunchOptions, ProcessLaunch, ProcessSnapshot, RunningStack } from '../target.js';
import type { RemoteSnapshot } from './host/readings.js';
import type { WatchEvent, WatchSpec } from './host/watch.js';
import { callRemote, type RemoteWorkspace, remoteArgv } from './workspace.js';

const START_TIMEOUT_MS = 60_000;

export async function launchRemote(
  ws: RemoteWorkspace,
  processes: ProcessLaunch[],
  options: LaunchOptions,
): Promise<RunningStack> {
  const dir = options.logFile.slice(0, options.logFile.lastIndexOf('/'));
  const spec: WatchSpec = { ...options, processes, dir };
  // a connection of its own, held for the stack's life (ssh.ts: MaxSessions)
  const child = ws.host.spawn(remoteArgv(ws.node, ws.root, 'watch', [JSON.stringify(spec)]), false);
  let exited: string | null = null;
  let stopping = false;
  let tail: string[] = [];
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString('utf8')).slice(-4000);
  });
  let onEvent: (e: WatchEvent) => void = () => {};
  const lines = createInterface({ input: child.stdout });
  lines.on('line', (line) => {
    let event: WatchEvent;
    try {
      event = JSON.parse(line);
    } catch {
      return;
    }
    if (event.event === 'tail') tail = event.lines;
    else {
      if (event.event === 'exited' && !stopping && exited === null) exited = event.reason;
      onEvent(event);
    }
  });
  const ended = child.then((result) => {
    if (!stopping && exited === null) {
      exited = `the watchdog on ${ws.host.label} ended (exit ${result.exitCode}): ${stderr.trim().split('\n').pop() ?? 'connection lost'}`;
    }
    onEvent({ event: 'failed', message: exited ?? 'the watchdog ended' });
  });
  const next = <K extends WatchEvent['event']>(kinds: K[], ms: number) =>
    new Promise<WatchEvent>((resolve, reject) => {
      const timer = setTimeout(
        () =>
          reject(
            new SshError(
              ws.host.label,
              `no ${kinds.join('/')} from the watchdog within ${ms / 1000} s`,
            ),
          ),
        ms,
      );
      onEvent = (e) => {
        if ((kinds as string[]).includes(e.event) || e.event === 'failed') {
          clearTimeout(timer);
          resolve(e);
        }
      };
    });
  const started = await next(['started'], START_TIMEOUT_MS).catch((error) => {
    child.stdin.end();
    throw error;
  });
  if (started.event !== 'started') {
    child.stdin.end();
    throw new SshError(
      ws.host.label,
      `the stack did not start: ${(started as { message: string }).message}`,
    );
  }
  const groups = started.groups;
  let previous: RemoteSnapshot | null = null;

  return {
    groups,
    exitReason: () => exited,
    async snapshot(): Promise<ProcessSnapshot> {
      const reading = await callRemote<RemoteSnapshot>(ws, 'snapshot', [JSON.stringify(groups)]);
      let cpuPct = 0;
      if (previous && reading.atMs > previous.atMs) {
        let ms = 0;
        for (const pid of reading.pids) {
          const before = previous.cpuMs[pid];
          if (before !== undefined) ms += Math.max(0, (reading.cpuMs[pid] ?? before) - before);
        }
        cpuPct = (ms / (reading.atMs - previous.atMs)) * 100;
      }
      previous = reading;
      const rss = Object.values(reading.rss).reduce((a, b) => a + b, 0);
      return { pids: reading.pids, cpuPct, rssMb: rss / 1024 / 1024 };
    },
    async stop(signal, graceMs) {
      stopping = true;
      const done = next(['stopped'], graceMs + 20_000);
      child.stdin.write(`stop ${signal} ${Math.round(graceMs)}\n`);
      const outcome = await done.catch(() => null);
      child.stdin.end();
      await ended;
      if (outcome?.event === 'stopped')
        return { killed: outcome.killed, leftover: outcome.leftover };
      // the channel ended without an answer: the watchdog killed the groups when it saw it end;
      // what is still there is what a fresh reading finds
      const left = await callRemote<RemoteSnapshot>(ws, 'snapshot', [JSON.stringify(groups)]).catch(
        () => null,
      );
      return { killed: true, leftover: left?.pids ?? [] };
    },
    logTail: (n) => tail.slice(-n),
  };
}
