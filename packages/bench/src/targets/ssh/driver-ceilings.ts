/**
 * Each driver host's own ceiling, measured there before a set: `stackbench-load --ceiling` of
 * its shipped workspace, against a null server on its own loopback (so the link to the target
 * plays no part), one host after the other so that none disturbs another's figure.
 */
import type { CeilingOptions } from '@stackbench/loadgen';
import type { HostCeiling } from '@stackbench/result';
import { SshError } from '../../errors.js';
import type { RemoteWorkspace } from './workspace.js';

/** The measurement takes at most about 3 s; a loaded host starting Node gets the rest. */
const CEILING_TIMEOUT_MS = 60_000;

export async function driverCeilings(
  drivers: readonly RemoteWorkspace[],
  threads: number,
  timing: Pick<CeilingOptions, 'durationS' | 'warmupS'>,
): Promise<HostCeiling[]> {
  const out: HostCeiling[] = [];
  for (const ws of drivers) {
    const stdout = await ws.host.check(
      [
        ws.node,
        `${ws.root}/packages/loadgen/bin/stackbench-load.js`,
        '--ceiling',
        '--threads',
        String(threads),
        '--duration',
        String(timing.durationS),
        '--warmup',
        String(timing.warmupS),
      ],
      { timeoutMs: CEILING_TIMEOUT_MS },
    );
    const line = stdout.trim().split('\n').pop() ?? '';
    let record: Omit<HostCeiling, 'host'>;
    try {
      record = JSON.parse(line) as Omit<HostCeiling, 'host'>;
    } catch {
      throw new SshError(
        ws.host.label,
        `stackbench-load --ceiling printed no JSON: ${line.slice(0, 200)}`,
      );
    }
    out.push({ host: ws.host.entry.name, ...pick(record) });
  }
  return out;
}

/** The manifest's fields only (the CLI's record may carry more). */
function pick(r: Omit<HostCeiling, 'host'>): Omit<HostCeiling, 'host'> {
  return {
    perThreadRps: r.perThreadRps,
    rps: r.rps,
    threads: r.threads,
    connectionsPerThread: r.connectionsPerThread,
    durationS: r.durationS,
    serverProcesses: r.serverProcesses,
    driverCpuPercent: r.driverCpuPercent,
    maxEventLoopUtilization: r.maxEventLoopUtilization,
    hostCpuBusyPercent: r.hostCpuBusyPercent,
    at: r.at,
  };
}
