/**
 * Adaptive sampling under a time budget: after the first K rounds, each further round runs only
 * the cells whose ranking is still undecided. This is racing (Maron & Moore, "Hoeffding races",
 * 1994; Birattari's F-race): every candidate still in contention is sampled again each round, and
 * a pair leaves the race once it is decided. A (mode, level) cell leaves it once every pair of it
 * is decided or too close to matter — its pair interval is narrower than the profile's target
 * resolution — or its stacks have `max_samples` windows. Kalibera & Jones ("Rigorous
 * benchmarking in reasonable time", 2013) motivate spending repetitions where the variance is
 * rather than the same K everywhere. The plan is a pure function of the set's data, so
 * `--resume` decides the same way.
 *
 * Which cells first, when the budget cannot take them all: those that can still reach the
 * target. An interval's width shrinks about as 1/√K at a given variance, so a cell at resolution
 * r after K windows needs about K·(r/target)² of them; a cell that needs more than `max_samples`
 * cannot get there in this set, and windows spent on it narrow nothing the summary will call
 * resolved. Reachable cells go first, the fewest windows short of the target first; the rest
 * follow, the most undecided first.
 */
import { cellGroups, groupPairs, LEAD_METRIC } from '@stackbench/report';
import type {
  AdaptiveSettings,
  CellRef,
  ConnectionMode,
  StackResult,
  WorkloadName,
} from '@stackbench/result';

/** What one (workload, mode, level) cell still lacks. */
export interface OpenCell {
  workload: WorkloadName;
  connection: ConnectionMode;
  level: number;
  /** Stacks in at least one unsettled pair (they run again together, so the pairs share rounds). */
  stacks: string[];
  unsettled: number;
  pairs: number;
  /** Median resolution of the cell's pairs, %. */
  resolutionPct: number;
  /** Windows per stack so far (the fewest). */
  windows: number;
  /** Windows per stack the cell would need for its resolution to reach the target (K·(r/target)², rounded up); Infinity with no resolution yet. */
  windowsToTarget: number;
}

/** Windows a cell at `resolutionPct` after `windows` would need to reach `targetPct` (width ∝ 1/√K). */
export function windowsToTarget(resolutionPct: number, windows: number, targetPct: number): number {
  if (!Number.isFinite(resolutionPct)) return Number.POSITIVE_INFINITY;
  return Math.max(windows, Math.ceil(windows * (resolutionPct / targetPct) ** 2));
}

const pct = (x: number) => (Number.isFinite(x) ? `${x.toFixed(1)} %` : 'n/a');

/**
 * The cells that still race: a pair is unsettled while it is undecided, its resolution is above
 * the target, and both its stacks have fewer than `maxSamples` windows of the cell.
 */
export function openCells(
  results: readonly StackResult[],
  measured: ReadonlySet<string>,
  adaptive: Pick<AdaptiveSettings, 'targetResolutionPct' | 'maxSamples'>,
): OpenCell[] {
  const out: OpenCell[] = [];
  for (const group of cellGroups(results.filter((r) => measured.has(r.stack.name)))) {
    const g = groupPairs(group, LEAD_METRIC);
    const count = (s: string) => group.stacks.get(s)?.length ?? 0;
    const unsettled = g.pairs.filter(
      (p) =>
        !p.effect.decided &&
        !(p.effect.resolutionPct <= adaptive.targetResolutionPct) &&
        count(p.a) < adaptive.maxSamples &&
        count(p.b) < adaptive.maxSamples,
    );
    if (unsettled.length === 0) continue;
    const stacks = [...new Set(unsettled.flatMap((p) => [p.a, p.b]))].sort();
    const windows = Math.min(...stacks.map(count));
    out.push({
      workload: group.workload,
      connection: group.connection,
      level: group.level,
      stacks,
      unsettled: unsettled.length,
      pairs: g.total,
      resolutionPct: g.resolutionPct,
      windows,
      windowsToTarget: windowsToTarget(g.resolutionPct, windows, adaptive.targetResolutionPct),
    });
  }
  // the file's comment: cells that can reach the target first, nearest first; then the rest,
  // furthest from decided first
  const reachable = (c: OpenCell) => c.windowsToTarget <= adaptive.maxSamples;
  return out.sort(
    (a, b) =>
      Number(reachable(b)) - Number(reachable(a)) ||
      (reachable(a) ? a.windowsToTarget - a.windows - (b.windowsToTarget - b.windows) : 0) ||
      b.unsettled - a.unsettled ||
      (Number.isFinite(b.resolutionPct) ? b.resolutionPct : 1e9) -
        (Number.isFinite(a.resolutionPct) ? a.resolutionPct : 1e9),
  );
}

/** Why a cell is in the next round, for the manifest. */
export function whyLine(cell: OpenCell, levelText: string, target: number): string {
  const mode = cell.connection === 'close' ? 'close' : 'keep-alive';
  const workload = cell.workload === 'seed' ? '' : `${cell.workload} `;
  const reach = Number.isFinite(cell.windowsToTarget)
    ? `, about ${cell.windowsToTarget} to reach it`
    : '';
  return `${workload}${mode} ${levelText}: ${cell.unsettled} of ${cell.pairs} pairs undecided, resolution ${pct(cell.resolutionPct)} > ${target} %, ${cell.windows} windows${reach}; runs ${cell.stacks.join(', ')}`;
}

export interface RoundCost {
  /** Seconds one window of the cell takes, all in (warm-up, measured part, pause, overhead). */
  window: (cell: CellRef) => number;
  /** Seconds to start, warm up and stop one stack in a round. */
  perStack: number;
}

/**
 * The next round: open cells, furthest from decided first, as many as fit in `budgetLeftS`.
 * Empty when none fits (the caller says why it stopped).
 */
export function nextRound(
  open: readonly OpenCell[],
  cost: RoundCost,
  budgetLeftS: number,
): { cells: CellRef[]; seconds: number; chosen: OpenCell[] } {
  const cells: CellRef[] = [];
  const chosen: OpenCell[] = [];
  const stacks = new Set<string>();
  let seconds = 0;
  for (const cell of open) {
    // a seed cell's ref names no workload, as before workloads
    const refs = cell.stacks.map((stack) => ({
      stack,
      ...(cell.workload === 'seed' ? {} : { workload: cell.workload }),
      connection: cell.connection,
      level: cell.level,
    }));
    const added = refs.reduce((n, r) => n + cost.window(r), 0);
    const newStacks = cell.stacks.filter((s) => !stacks.has(s)).length;
    const next = seconds + added + newStacks * cost.perStack;
    if (next > budgetLeftS) continue;
    seconds = next;
    for (const s of cell.stacks) stacks.add(s);
    cells.push(...refs);
    chosen.push(cell);
  }
  return { cells, seconds, chosen };
}

/**
 * Seconds a window of `cell` takes, from the cell's windows so far: warm-up and measured part
 * as they ran, plus the pause and the per-window overhead (fresh users, readings).
 */
export function windowSeconds(
  results: readonly StackResult[],
  cell: CellRef,
  fallbackS: number,
  pauseS: number,
): number {
  const spans: number[] = [];
  for (const result of results) {
    if (result.stack.name !== cell.stack) continue;
    for (const run of result.runs) {
      for (const w of run.windows) {
        const c = w.load.cycles[0];
        if (!c || (w.connection ?? 'keep-alive') !== cell.connection) continue;
        if ((w.workload ?? 'seed') !== (cell.workload ?? 'seed')) continue;
        if ((w.level ?? w.cus) !== cell.level) continue;
        spans.push(c.durationS + (c.window?.warmupS ?? w.load.options.warmupS));
      }
    }
  }
  if (spans.length === 0) return fallbackS;
  spans.sort((a, b) => a - b);
  return (spans[Math.floor(spans.length / 2)] ?? fallbackS) + pauseS + 0.5;
}
