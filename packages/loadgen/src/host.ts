/** Who measured: driver version and host facts for the result document. */
import { readFileSync } from 'node:fs';
import os from 'node:os';
import type { LoadEngine } from './engines/engine.js';
import type { LoadResult } from './result.js';

function packageVersion(): string {
  // dist/src/host.js -> packages/loadgen/package.json
  const text = readFileSync(new URL('../../package.json', import.meta.url), 'utf8');
  return (JSON.parse(text) as { version: string }).version;
}

export function driverInfo(engine: LoadEngine): LoadResult['driver'] {
  return {
    name: '@stackbench/loadgen',
    version: packageVersion(),
    node: process.version,
    engine: engine.name,
    engineClient: engine.client,
  };
}

export function hostInfo(): LoadResult['host'] {
  const cpus = os.cpus();
  return {
    hostname: os.hostname(),
    platform: os.platform(),
    arch: os.arch(),
    cpus: os.availableParallelism(),
    cpuModel: cpus[0]?.model ?? 'unknown',
  };
}
