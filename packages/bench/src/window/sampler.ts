/**
 * Samples every process of a running stack once per second while it is loaded: CPU %, RSS,
 * process count, processes that went away (restarts) and the accept-queue depth.
 */
import type { ServerSample, ServerSummary } from '@stackbench/result';
import type { RunningStack, Target } from '../targets/target.js';

export interface Sampler {
  stop(): Promise<ServerSample[]>;
}

export function startSampler(
  stack: RunningStack,
  target: Target,
  port: number,
  initialPids: readonly number[],
  intervalMs = 1000,
): Sampler {
  const samples: ServerSample[] = [];
  const gone = new Set<number>();
  let known = new Set(initialPids);
  const t0 = performance.now();
  let pending: Promise<void> = Promise.resolve();
  const tick = async () => {
    const snap = await stack.snapshot();
    const now = new Set(snap.pids);
    for (const pid of known) if (!now.has(pid)) gone.add(pid);
    known = new Set([...known, ...now]);
    for (const pid of gone) known.delete(pid);
    samples.push({
      t: (performance.now() - t0) / 1000,
      cpuPct: snap.cpuPct,
      rssMb: snap.rssMb,
      processes: snap.pids.length,
      restarts: gone.size,
      acceptQueue: await target.acceptQueue(port),
    });
  };
  const timer = setInterval(() => {
    pending = pending.then(tick).catch(() => {});
  }, intervalMs);
  return {
    async stop() {
      clearInterval(timer);
      await pending;
      // a window shorter than the interval still gets one sample, at its end
      if (samples.length === 0) await tick().catch(() => {});
      return samples;
    },
  };
}

export function summarise(samples: ServerSample[]): ServerSummary | null {
  if (samples.length === 0) return null;
  const avg = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
  const queues = samples.map((s) => s.acceptQueue).filter((q): q is number => q !== null);
  return {
    samples: samples.length,
    cpuPctAvg: avg(samples.map((s) => s.cpuPct)),
    cpuPctMax: Math.max(...samples.map((s) => s.cpuPct)),
    rssMbAvg: avg(samples.map((s) => s.rssMb)),
    rssMbMax: Math.max(...samples.map((s) => s.rssMb)),
    processesMax: Math.max(...samples.map((s) => s.processes)),
    restarts: samples[samples.length - 1]?.restarts ?? 0,
    acceptQueueMax: queues.length ? Math.max(...queues) : null,
  };
}
