/**
 * What the master tells each worker, passed in one environment variable at fork time (cluster
 * workers get no argv of ours). Bottom layer: imported by the arbiter and the worker entry.
 */
import type { BackendName } from '@stackbench/adapter';

export const WORKER_CONFIG_ENV = 'STACKBENCH_PREFORK_WORKER';

export interface WorkerConfig {
  app: string;
  backend: BackendName;
  host: string;
  port: number;
  backlog: number;
  threads?: number;
  keepAliveTimeoutMs: number;
  gracefulTimeoutMs: number;
  /** How often the worker's event loop sends `heartbeat` and `stats`. */
  heartbeatMs: number;
  cwd: string;
}

export function encodeWorkerConfig(config: WorkerConfig): Record<string, string> {
  return { [WORKER_CONFIG_ENV]: JSON.stringify(config) };
}

export function decodeWorkerConfig(env: NodeJS.ProcessEnv): WorkerConfig {
  const raw = env[WORKER_CONFIG_ENV];
  if (!raw)
    throw new Error(`${WORKER_CONFIG_ENV} is not set: this file is run by the prefork master`);
  return JSON.parse(raw) as WorkerConfig;
}
