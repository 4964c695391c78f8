/**
 * A driver host's share of one window (`stackbench-remote shard SPEC`): waits until the
 * window's start on this host's clock (the orchestrator has already corrected it by the host's
 * measured offset), runs the load driver in-process, prints `{ lagMs, result }` as one JSON line.
 * Its stdin is the ssh channel: when it ends (orchestrator gone, link dropped) the load stops at
 * once and the process exits, so no load outlives the orchestrator.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { type AnyLoadOptions, runLoad } from '@stackbench/loadgen';

export interface ShardSpec {
  options: AnyLoadOptions;
  /** When to start, ms since the epoch on this host's clock. */
  startAtMs: number;
}

/**
 * Resolves with the exit code: 0 once the result is printed, 1 as soon as stdin ends first (the
 * load aborted); `stackbench-remote` exits with it at once, whatever the load still holds open.
 */
export function shard(spec: ShardSpec): Promise<number> {
  const controller = new AbortController();
  const channelEnd = new Promise<number>((resolve) =>
    process.stdin.on('end', () => {
      controller.abort();
      resolve(1);
    }),
  );
  process.stdin.resume();
  const measured = (async () => {
    const wait = spec.startAtMs - Date.now();
    if (wait > 0) await sleep(wait);
    // how late this host started, on its own clock: the schedule's error from here
    const lagMs = Date.now() - spec.startAtMs;
    const result = await runLoad(spec.options, { signal: controller.signal });
    process.stdout.write(`${JSON.stringify({ lagMs, result })}\n`);
    return 0;
  })();
  return Promise.race([channelEnd, measured]);
}
