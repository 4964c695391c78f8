/**
 * How the load driver sized a closed-loop window by the cell's response time
 * (`load.cycles[0].window`, `stackbench.load/3`): the warm-up it ran until throughput was steady,
 * the measured seconds it planned and what decided them. Read defensively: older documents have
 * no such record and a record of another shape is ignored, never fatal (the report still renders
 * every figure it has).
 */
import { isObject } from '@stackbench/result';

export interface WindowSizing {
  /** Unmeasured load before the window, seconds (until throughput was steady, or the cap). */
  warmupS: number;
  /** Throughput was steady when the warm-up ended (false: it ran to its cap). */
  steady: boolean;
  /** Requests/s at the end of the warm-up. */
  warmupRps: number | null;
  /** The cell's response time the window was sized by, ms. */
  responseTimeMs: number;
  /** Measured seconds the driver planned. */
  plannedS: number;
  /** Measured seconds as run (the cycle's `durationS`). */
  measuredS: number;
  /** What set the length: enough responses per user, enough requests, or the cap. */
  sizedBy: string;
}

const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** The window's sizing record, or null where the driver wrote none (or one this cannot read). */
export function windowSizingOf(cycle: { durationS: number }): WindowSizing | null {
  const w = (cycle as { window?: unknown }).window;
  if (!isObject(w)) return null;
  if (!finite(w.warmupS) || !finite(w.responseTimeMs) || !finite(w.plannedS)) return null;
  return {
    warmupS: w.warmupS,
    steady: w.steady === true,
    warmupRps: finite(w.warmupRps) ? w.warmupRps : null,
    responseTimeMs: w.responseTimeMs,
    plannedS: w.plannedS,
    measuredS: cycle.durationS,
    sizedBy: typeof w.sizedBy === 'string' ? w.sizedBy : 'n/a',
  };
}
