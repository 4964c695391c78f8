/**
 * The adapter process's lifecycle around a RunningServer (the CLI's job, not serve()'s): ready and
 * stats reports over IPC, and the ways it can end, each a small listener raced in one promise:
 * SIGTERM (graceful), SIGINT/SIGQUIT (at once), the IPC parent gone (graceful; no orphans).
 */
import { hasParentChannel, sendFinalStats, sendToParent, startReports } from '@stackbench/protocol';
import type { RunningServer } from './serve.js';

export type StopReason =
  | { kind: 'graceful'; why: 'SIGTERM' | 'parent gone' }
  | { kind: 'immediate'; why: 'SIGINT' | 'SIGQUIT' };

/**
 * Says ready (log line and IPC) and starts the once-a-second stats. Returns the stop function,
 * which sends the final counts (docs/contracts.md#worker-reports: a graceful exit loses no interval).
 */
export function announce(
  server: RunningServer,
  line: string,
  log: (line: string) => void,
): () => Promise<void> {
  log(line);
  sendToParent({ type: 'ready', listen: server.address });
  const stop = startReports(() => server.counters());
  return async () => {
    stop();
    await sendFinalStats(() => server.counters());
  };
}

/**
 * Resolves with the first reason to stop. Later SIGINT/SIGQUIT still call `onImmediate` (a second
 * signal during a graceful stop cuts it short); a second SIGTERM is ignored.
 */
export function waitForStop(onImmediate: (reason: StopReason) => void): Promise<StopReason> {
  return new Promise((resolve) => {
    let stopping = false;
    const graceful = (why: 'SIGTERM' | 'parent gone') => {
      if (stopping) return;
      stopping = true;
      resolve({ kind: 'graceful', why });
    };
    const immediate = (why: 'SIGINT' | 'SIGQUIT') => {
      const reason: StopReason = { kind: 'immediate', why };
      onImmediate(reason);
      resolve(reason);
    };
    process.on('SIGTERM', () => graceful('SIGTERM'));
    process.on('SIGINT', () => immediate('SIGINT'));
    process.on('SIGQUIT', () => immediate('SIGQUIT'));
    if (hasParentChannel()) process.once('disconnect', () => graceful('parent gone'));
  });
}
