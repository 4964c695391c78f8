/**
 * The load of a window from the driver hosts. It is split across the hosts as loadgen splits it
 * across its threads (`splitLoad`: users, or an open loop's rate and connections); every host
 * gets the same start time, `lead` ms ahead (plus its share's phase on a uniform open loop's
 * grid), translated into its own clock with the offset measured before the set (clock.ts), so
 * all start on one schedule: the error is the offset's (± half its round trip) plus each host's
 * timer lateness, which each host reports (`startLagMs`). Each host's shard runs under its ssh
 * channel (it stops when the channel ends). The results are merged exactly with loadgen's merge
 * (merge-load.ts). A host that fails, exits or disconnects fails the window with its name: the
 * load is never silently smaller.
 */
import { createInterface } from 'node:readline';
import {
  type AnyLoadOptions,
  type LoadResult,
  type LoadShare,
  type RunHooks,
  splitLoad,
} from '@stackbench/loadgen';
import { DriverError } from '../../errors.js';
import type { ClockReading } from './clock.js';
import type { ShardSpec } from './host/shard.js';
import { type DriverPart, type MergedLoadResult, mergeDriverResults } from './merge-load.js';
import { type RemoteWorkspace, remoteArgv } from './workspace.js';

export interface DriverHost {
  ws: RemoteWorkspace;
  clock: ClockReading;
}

/** Time from the call to the window's start: enough for ssh and a Node start on a busy host. */
export const DEFAULT_LEAD_MS = 3000;

async function runShard(
  driver: DriverHost,
  options: AnyLoadOptions,
  startLocalMs: number,
  signal: AbortSignal | undefined,
): Promise<{ lagMs: number; result: LoadResult }> {
  const spec: ShardSpec = { options, startAtMs: startLocalMs + driver.clock.offsetMs };
  const { ws } = driver;
  const child = ws.host.spawn(remoteArgv(ws.node, ws.root, 'shard', [JSON.stringify(spec)]));
  // an interrupted window ends the channel: the shard stops its load and exits
  const onAbort = () => child.stdin.end();
  signal?.addEventListener('abort', onAbort, { once: true });
  let line = '';
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString('utf8')).slice(-4000);
  });
  createInterface({ input: child.stdout }).on('line', (text) => {
    if (text.startsWith('{')) line = text;
  });
  try {
    const done = await child;
    if (signal?.aborted) {
      return { lagMs: 0, result: { complete: false, cycles: [] } as unknown as LoadResult };
    }
    if (done.exitCode !== 0 || line === '') {
      const why = stderr.trim().split('\n').slice(-3).join(' / ') || `exit ${done.exitCode}`;
      throw new DriverError(`${ws.host.label}`, `its load did not finish: ${why}`);
    }
    return JSON.parse(line) as { lagMs: number; result: LoadResult };
  } finally {
    signal?.removeEventListener('abort', onAbort);
    child.stdin.end();
  }
}

/** A load runner for the matrix (RunContext.load) that runs each window on the driver hosts. */
export function driverLoad(drivers: DriverHost[], leadMs = DEFAULT_LEAD_MS) {
  return async (options: AnyLoadOptions, hooks: RunHooks): Promise<MergedLoadResult> => {
    const shares = splitLoad(options, drivers.length);
    const startLocalMs = Date.now() + leadMs;
    const running = drivers
      .map((driver, i) => ({ driver, share: shares[i] }))
      .filter((d): d is { driver: DriverHost; share: LoadShare } => !!d.share);
    const settled = await Promise.allSettled(
      running.map(({ driver, share }) =>
        runShard(driver, share.options, startLocalMs + share.phaseMs, hooks.signal),
      ),
    );
    const failed = settled.find((s) => s.status === 'rejected');
    if (failed) throw (failed as PromiseRejectedResult).reason;
    const parts: DriverPart[] = settled.map((s, i) => {
      const { driver, share } = running[i] as (typeof running)[number];
      const value = (s as PromiseFulfilledResult<{ lagMs: number; result: LoadResult }>).value;
      return {
        name: driver.ws.host.entry.name,
        users: share.users,
        lagMs: value.lagMs,
        clock: driver.clock,
        result: value.result,
      };
    });
    if (hooks.signal?.aborted) {
      return { ...(parts[0]?.result as LoadResult), complete: false, cycles: [], drivers: [] };
    }
    return mergeDriverResults(options, parts);
  };
}
