/** CPU time of processes, for worker balance here and on a remote target (host-probe's /proc reader). */
import { sampleProcesses } from '@stackbench/host-probe';

/** utime + stime of each pid in ms; a pid that is gone counts as absent. */
export function cpuMsByPid(pids: readonly number[]): Map<number, number> {
  const out = new Map<number, number>();
  for (const [pid, sample] of sampleProcesses(pids)) out.set(pid, sample.cpuSeconds * 1000);
  return out;
}
