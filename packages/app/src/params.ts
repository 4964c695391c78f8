/**
 * The bench app's parameters, read from environment variables so that every stack serves the
 * same work whatever its process model. Defaults are the seed's values.
 */
import { AppParameterError } from './errors.js';

export type WriteMode = 'sync' | 'async';
export const writeModes: readonly WriteMode[] = ['sync', 'async'];

export interface BenchParams {
  /** Iterations of the CPU step (seed: `for i in range(10000)`). */
  cpuIterations: number;
  /** Non-blocking sleep in milliseconds (seed: 100 ms). */
  sleepMs: number;
  /** Small writes to the temporary file (seed: 10,000). */
  writes: number;
  /** `sync` blocks the worker like the seed's `os.write`; `async` uses the libuv thread pool. */
  writeMode: WriteMode;
}

/** Environment variable → parameter, with the seed's defaults. Documented in the README. */
export const paramVariables = {
  cpuIterations: { variable: 'STACKBENCH_CPU_ITERATIONS', default: 10_000 },
  sleepMs: { variable: 'STACKBENCH_SLEEP_MS', default: 100 },
  writes: { variable: 'STACKBENCH_WRITES', default: 10_000 },
  writeMode: { variable: 'STACKBENCH_WRITE_MODE', default: 'sync' as WriteMode },
} as const;

export const defaultParams: BenchParams = {
  cpuIterations: paramVariables.cpuIterations.default,
  sleepMs: paramVariables.sleepMs.default,
  writes: paramVariables.writes.default,
  writeMode: paramVariables.writeMode.default,
};

function readCount(env: NodeJS.ProcessEnv, variable: string, fallback: number): number {
  const raw = env[variable];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw.trim())) throw new AppParameterError(variable, raw, 'a whole number ≥ 0');
  const value = Number(raw);
  if (!Number.isSafeInteger(value))
    throw new AppParameterError(variable, raw, 'a whole number ≥ 0');
  return value;
}

/** Reads and validates the parameters; throws `AppParameterError` naming the variable at fault. */
export function readParams(env: NodeJS.ProcessEnv = process.env): BenchParams {
  const { cpuIterations, sleepMs, writes, writeMode } = paramVariables;
  const mode = env[writeMode.variable] || writeMode.default;
  if (!writeModes.includes(mode as WriteMode)) {
    throw new AppParameterError(writeMode.variable, mode, `one of ${writeModes.join(', ')}`);
  }
  return {
    cpuIterations: readCount(env, cpuIterations.variable, cpuIterations.default),
    sleepMs: readCount(env, sleepMs.variable, sleepMs.default),
    writes: readCount(env, writes.variable, writes.default),
    writeMode: mode as WriteMode,
  };
}
