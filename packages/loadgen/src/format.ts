/**
 * Human output, apart from measuring: Funkload's cycle table (CUs, RPS of all completions as
 * Funkload counts them, success %, avg, min, p10, med, p90, p95, max of successful requests) and
 * the one-line live progress.
 */
import type { CycleProgress, LoadResult } from './result.js';

const fixed = (value: number, digits: number) => value.toFixed(digits);

export function formatCycleTable(result: LoadResult): string {
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
    const done = c.requests.succeeded + c.requests.failed;
    const success = done === 0 ? 0 : (100 * c.requests.succeeded) / done;
    const l = c.latencyMs;
    return [
      `${c.users}${c.driverSaturated ? '*' : ''}`,
      fixed(c.rps.total, 1),
      fixed(success, 2),
      ...[l.avg, l.min, l.p10, l.p50, l.p90, l.p95, l.max].map((v) => fixed(v, 2)),
    ];
  });
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((cell, i) => cell.padStart(widths[i]!)).join('  ');
  const out = [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)];
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
    out.push(`${c.users} CUs: ${f.total} failures (${kinds.join(', ')})`);
  }
  if (!result.complete) {
    out.push(`incomplete: ${result.cycles.length} of ${result.options.cycles.length} cycles ran`);
  }
  return `${out.join('\n')}\n`;
}

export function formatProgressLine(p: CycleProgress, cycleCount: number): string {
  return (
    `cycle ${p.cycleIndex + 1}/${cycleCount}  ${p.users} CUs  ${p.phase} ` +
    `${p.elapsedS.toFixed(0)}s/${(p.elapsedS + p.remainingS).toFixed(0)}s  ` +
    `${p.currentRps} req/s  ${p.failures} failures`
  );
}
