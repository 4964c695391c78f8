/**
 * The one place that reads the load driver's cycles: turns each stack's runs into Funkload rows
 * (one per CUs level), averaging over repetitions, and keeps the per-run values for noise.
 */
import type { CycleResult } from '@stackbench/loadgen';
import type { StackResult } from './schema.js';

export interface CycleRow {
  cus: number;
  /** Completions per second, successful or not (Funkload's RPS). */
  rps: number;
  successfulRps: number;
  successPct: number;
  failures: number;
  avg: number;
  min: number;
  p10: number;
  med: number;
  p90: number;
  p95: number;
  max: number;
  /** How many runs this row averages. */
  runs: number;
  /** Per-run values of the compared metrics, for the noise estimate. */
  samples: { rps: number[]; med: number[]; p95: number[]; failures: number[] };
}

export function cycleFigures(cycle: CycleResult) {
  const done = cycle.requests.succeeded + cycle.requests.failed;
  const l = cycle.latencyMs;
  return {
    cus: cycle.users,
    rps: cycle.rps.total,
    successfulRps: cycle.rps.successful,
    successPct: done === 0 ? 0 : (100 * cycle.requests.succeeded) / done,
    failures: cycle.requests.failed,
    avg: l.avg,
    min: l.min,
    p10: l.p10,
    med: l.p50,
    p90: l.p90,
    p95: l.p95,
    max: l.max,
  };
}

const mean = (values: number[]) =>
  values.length === 0 ? 0 : values.reduce((a, b) => a + b, 0) / values.length;

/** Rows of one stack, ordered by CUs; cycles of all complete runs with the same CUs are averaged. */
export function stackRows(result: StackResult): CycleRow[] {
  const byCus = new Map<number, ReturnType<typeof cycleFigures>[]>();
  for (const run of result.runs) {
    if (run.status !== 'complete' || !run.load) continue;
    for (const cycle of run.load.cycles) {
      const list = byCus.get(cycle.users) ?? [];
      list.push(cycleFigures(cycle));
      byCus.set(cycle.users, list);
    }
  }
  return [...byCus.entries()]
    .sort(([a], [b]) => a - b)
    .map(([cus, list]) => {
      const avgOf = (key: keyof ReturnType<typeof cycleFigures>) => mean(list.map((f) => f[key]));
      return {
        cus,
        rps: avgOf('rps'),
        successfulRps: avgOf('successfulRps'),
        successPct: avgOf('successPct'),
        failures: avgOf('failures'),
        avg: avgOf('avg'),
        min: Math.min(...list.map((f) => f.min)),
        p10: avgOf('p10'),
        med: avgOf('med'),
        p90: avgOf('p90'),
        p95: avgOf('p95'),
        max: Math.max(...list.map((f) => f.max)),
        runs: list.length,
        samples: {
          rps: list.map((f) => f.rps),
          med: list.map((f) => f.med),
          p95: list.map((f) => f.p95),
          failures: list.map((f) => f.failures),
        },
      };
    });
}
