/**
 * Human output, apart from measuring: Funkload's cycle table (CUs, RPS of all completions as
 * Funkload counts them, success %, avg, min, p10, med, p90, p95, max of successful requests) and
 * the one-line live progress.
 */
import type { CycleProgress, CycleResult, LoadResult } from './result.js';

const fixed = (value: number, digits: number) => value.toFixed(digits);

/** How a cycle is named in messages: its users, or its offered rate in an open loop. */
export const cycleLabel = (c: CycleResult): string =>
  c.openLoop ? `${c.openLoop.offeredRps} requests/s` : `${c.users} CUs`;

const successPercent = (c: CycleResult) => {
  const done = c.requests.succeeded + c.requests.failed;
  return done === 0 ? 0 : (100 * c.requests.succeeded) / done;
};

/** Right-aligned columns under a header and a rule. */
function table(head: string[], rows: string[][]): string[] {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((cell, i) => cell.padStart(widths[i]!)).join('  ');
  return [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)];
}

/**
 * An open loop's table: offered, scheduled and achieved rate, throughput, latency from the
 * intended start (with p99.9, as wrk2 users read it) beside the service time, and the pool.
 */
function openLoopRows(result: LoadResult): string[] {
  const head = [
    'rate/s',
    'achieved/s',
    'RPS',
    'success %',
    'p50 ms',
    'p90 ms',
    'p99 ms',
    'p99.9 ms',
    'max ms',
    'svc p50',
    'svc p99',
    'delayed',
    'conns',
  ];
  const rows = result.cycles.map((c) => {
    const o = c.openLoop!;
    const l = c.latencyMs;
    return [
      `${o.offeredRps}${c.driverSaturated ? '*' : ''}${o.rateAchieved ? '' : '!'}`,
      fixed(o.achievedRps, 1),
      fixed(c.rps.total, 1),
      fixed(successPercent(c), 2),
      ...[l.p50, l.p90, l.p99, l.p999 ?? 0, l.max].map((v) => fixed(v, 2)),
      fixed(o.serviceTimeMs.p50, 2),
      fixed(o.serviceTimeMs.p99, 2),
      String(o.delayed),
      `${o.connections.peak}/${o.connections.limit}`,
    ];
  });
  const out = table(head, rows);
  out.push(
    "latency from each request's scheduled start (coordinated omission corrected); svc: from its actual send",
  );
  if (result.cycles.some((c) => !c.openLoop!.rateAchieved)) {
    out.push(
      '! the offered rate was not achieved: fewer than 99 % of the scheduled requests were sent',
    );
  }
  return out;
}

export function formatCycleTable(result: LoadResult): string {
  const out = result.cycles[0]?.openLoop ? openLoopRows(result) : closedLoopRows(result);
  if (result.cycles.some((c) => c.driverSaturated)) {
    out.push(
      "* the load driver was saturated in this cycle: figures are the driver's limit, not the target's",
    );
  }
  for (const c of result.cycles) {
    if (c.failures.total === 0) continue;
    const f = c.failures;
    const kinds = [
      ...Object.entries(f.status).map(([code, n]) => `status ${code}: ${n}`),
      f.connectRefused && `refused: ${f.connectRefused}`,
      f.connectionReset && `reset: ${f.connectionReset}`,
      f.connectionClosed && `closed: ${f.connectionClosed}`,
      f.timeout && `timeout: ${f.timeout}`,
      f.bodyMismatch && `body mismatch: ${f.bodyMismatch}`,
      ...Object.entries(f.other).map(([code, n]) => `${code}: ${n}`),
    ].filter(Boolean);
    out.push(`${cycleLabel(c)}: ${f.total} failures (${kinds.join(', ')})`);
  }
  if (!result.complete) {
    const planned = 'rates' in result.options ? result.options.rates : result.options.cycles;
    out.push(`incomplete: ${result.cycles.length} of ${planned.length} cycles ran`);
  }
  return `${out.join('\n')}\n`;
}

function closedLoopRows(result: LoadResult): string[] {
  const head = [
    'CUs',
    'RPS',
    'success %',
    'avg ms',
    'min ms',
    'p10 ms',
    'med ms',
    'p90 ms',
    'p95 ms',
    'max ms',
  ];
  const rows = result.cycles.map((c) => {
    const l = c.latencyMs;
    return [
      `${c.users}${c.driverSaturated ? '*' : ''}`,
      fixed(c.rps.total, 1),
      fixed(successPercent(c), 2),
      ...[l.avg, l.min, l.p10, l.p50, l.p90, l.p95, l.max].map((v) => fixed(v, 2)),
    ];
  });
  return table(head, rows);
}

export function formatProgressLine(p: CycleProgress, cycleCount: number): string {
  const what = p.offeredRps === undefined ? `${p.users} CUs` : `${p.offeredRps} requests/s`;
  return (
    `cycle ${p.cycleIndex + 1}/${cycleCount}  ${what}  ${p.phase} ` +
    `${p.elapsedS.toFixed(0)}s/${(p.elapsedS + p.remainingS).toFixed(0)}s  ` +
    `${p.currentRps} req/s  ${p.failures} failures`
  );
}
