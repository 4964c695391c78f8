/**
 * The `/db` route's parameters, from the environment like the bench app's: the rows of the
 * `world` table to pick ids from and the connections of each process's pool. The connection
 * itself is libpq's standard variables (PGHOST, PGPORT, PGDATABASE, PGUSER), read by `pg`.
 */
import { AppParameterError } from './errors.js';

export interface DbParams {
  /** Ids are drawn from 1..rows (the table the orchestrator filled). */
  rows: number;
  /** Connections of the pool of each process (and of each worker thread). */
  poolSize: number;
}

export const dbParamVariables = {
  rows: { variable: 'STACKBENCH_DB_ROWS', default: 10_000 },
  poolSize: { variable: 'STACKBENCH_DB_POOL', default: 1 },
} as const;

function readPositive(env: NodeJS.ProcessEnv, variable: string, fallback: number): number {
  const raw = env[variable];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!/^\d+$/.test(raw.trim()) || !Number.isSafeInteger(value) || value < 1)
    throw new AppParameterError(variable, raw, 'a whole number ≥ 1');
  return value;
}

/** Reads and validates the parameters; throws `AppParameterError` naming the variable at fault. */
export function readDbParams(env: NodeJS.ProcessEnv = process.env): DbParams {
  return {
    rows: readPositive(env, dbParamVariables.rows.variable, dbParamVariables.rows.default),
    poolSize: readPositive(
      env,
      dbParamVariables.poolSize.variable,
      dbParamVariables.poolSize.default,
    ),
  };
}
