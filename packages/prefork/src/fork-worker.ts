/**
 * Forking one worker: its configuration (what `worker-main.ts` decodes), the fork under the
 * parent-death guard, and the fresh slot the arbiter tracks it in, with its max-requests drawn
 * with jitter (so workers do not all recycle at once).
 */
import { randomInt } from 'node:crypto';
import type { PreforkConfig } from './config.js';
import { forkWithParentDeath } from './parent-death.js';
import { encodeWorkerConfig, type WorkerConfig } from './worker-config.js';
import type { WorkerSlot } from './worker-slot.js';

export interface ForkRequest {
  config: PreforkConfig;
  /** The port bound by the master (the real one when 0 was asked). */
  port: number;
  heartbeatMs: number;
  /** Spawn order of the new worker. */
  age: number;
  /** Monotonic ms now: the worker counts as seen at its fork. */
  at: number;
}

export function forkWorker({ config, port, heartbeatMs, age, at }: ForkRequest): WorkerSlot {
  const workerConfig: WorkerConfig = {
    app: config.app,
    backend: config.backend,
    host: config.bind.host,
    port,
    backlog: config.backlog,
    keepAliveTimeoutMs: config.keepAliveTimeoutMs,
    gracefulTimeoutMs: config.gracefulTimeoutMs,
    heartbeatMs,
    cwd: config.cwd,
    ...(config.threads === undefined ? {} : { threads: config.threads }),
  };
  const worker = forkWithParentDeath(encodeWorkerConfig(workerConfig));
  const maxRequests =
    config.maxRequests > 0 ? config.maxRequests + randomInt(config.maxRequestsJitter + 1) : 0;
  return {
    worker,
    pid: worker.process.pid ?? -1,
    age,
    lastSeen: at,
    ready: false,
    maxRequests,
    stats: { requests: 0, inFlight: 0, errors: 0 },
  };
}
