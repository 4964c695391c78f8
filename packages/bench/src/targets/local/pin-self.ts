/** Pins the orchestrator (and so the in-process load driver and its threads) to a CPU list. */
import { execa } from 'execa';

export async function pinSelf(cpus: string): Promise<void> {
  // -a: every thread of the process, including the load driver's worker threads
  await execa('taskset', ['-a', '-p', '-c', cpus, String(process.pid)], { stdout: 'ignore' });
}
