/**
 * Funkload's rows (one per workload, mode and level: CUs, or offered load) for the detail tables and
 * charts, from a stack's cells:
 * RPS is the median over the windows, the durations come from the merged histogram of all of
 * the cell's requests.
 */

import type { ConnectionMode, StackResult, WorkloadName } from '@stackbench/result';
import { type Cell, type Metric, stackCells } from './cells.js';
import type { Summary } from './stats/index.js';

export interface CycleRow {
  workload: WorkloadName;
  connection: ConnectionMode;
  level: number;
  /** Median over the windows of completions per second, successful or not (Funkload's RPS). */
  rps: number;
  /** The 95 % interval of that median (order statistics). */
  rpsLo: number;
  rpsHi: number;
  successPct: number;
  failures: number;
  avg: number;
  min: number;
  p10: number;
  med: number;
  p90: number;
  p95: number;
  p99: number;
  max: number;
  /** Windows behind the row. */
  windows: number;
  /** Requests behind the durations. */
  requests: number;
  /** The per-window figures' medians with their 95 % intervals (as ranked and compared). */
  perWindow: Record<Metric, Summary>;
}

export function cellRow(cell: Cell): CycleRow {
  const m = cell.merged;
  return {
    workload: cell.workload,
    connection: cell.connection,
    level: cell.level,
    rps: cell.summary.rps.median,
    rpsLo: cell.summary.rps.lo,
    rpsHi: cell.summary.rps.hi,
    successPct: cell.successPct,
    failures: cell.requests.failed,
    avg: m.avg,
    min: m.min,
    p10: m.p10,
    med: m.p50,
    p90: m.p90,
    p95: m.p95,
    p99: m.p99,
    max: m.max,
    windows: cell.windows,
    requests: m.count,
    perWindow: cell.summary,
  };
}

export function stackRows(result: StackResult): CycleRow[] {
  return stackCells(result).map(cellRow);
}
