/**
 * The load of a window from the driver hosts. Its users are split across the hosts
 * (driver-split.ts); every host gets the same start time, `lead` ms ahead, translated into its
 * own clock with the offset measured before the set (clock.ts), so all start on one schedule:
 * the error is the offset's (± half its round trip) plus each host's timer lateness, which
 * each host reports (`startLagMs`). Each host's shard runs under its ssh channel (it stops when
 * the channel ends). The results are merged exactly (merge-load.ts). A host that fails, exits
 * or disconnects fails the window with its name: the load is never silently smaller.
 */
import { createInterface } from 'node:readline';
import type { AnyLoadOptions, LoadResult, RunHooks } from '@stackbench/loadgen';
import { DriverError } from '../../errors.js';
import type { ClockReading } from './clock.js';
import { splitLoad } from './driver-split.js';
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
      .filter((d): d is { driver: DriverHost; share: NonNullable<typeof d.share> } => !!d.share);
    const settled = await Promise.allSettled(
      running.map(({ driver, share }) => runShard(driver, share, startLocalMs, hooks.signal)),
    );
    const failed = settled.find((s) => s.status === 'rejected');
    if (failed) throw (failed as PromiseRejectedResult).reason;
    const parts: DriverPart[] = settled.map((s, i) => {
      const { driver, share } = running[i] as (typeof running)[number];
      const value = (s as PromiseFulfilledResult<{ lagMs: number; result: LoadResult }>).value;
      return {
        name: driver.ws.host.entry.name,
        users: share.cycles[0] as number,
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
