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
 * Which cells first, when the budget cannot take them all: those whose pairs can still settle.
 * An interval's half-width h shrinks about as 1/√K at a given variance, and an undecided pair
 * settles once h is below its effect (then it is decided) or below the target; so a pair with
 * log ratio d, after K windows, needs about K·(h / max(|d|, ln(1 + target)))² of them. A cell
 * needs what its median unsettled pair needs. A cell that needs more than `max_samples` cannot
 * settle in this set (its stacks are alike within its noise), and its windows would narrow
 * nothing the summary decides: cells that can settle go first, nearest first; the rest follow,
 * the most undecided first.
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
  /** Windows per stack the cell would need for its median unsettled pair to settle (windowsToSettle); Infinity with no interval yet. */
  windowsToSettle: number;
}

/**
 * Windows an undecided pair would need to settle, from `windows` so far: its interval, of
 * resolution `resolutionPct`, narrowing as 1/√K until it excludes 1 (its observed `ratio`) or
 * is narrower than `targetPct`. Infinity when either figure is not finite.
 */
export function windowsToSettle(
  resolutionPct: number,
  ratio: number,
  windows: number,
  targetPct: number,
): number {
  if (!(Number.isFinite(resolutionPct) && Number.isFinite(ratio) && ratio > 0)) {
    return Number.POSITIVE_INFINITY;
  }
  const halfWidth = Math.log1p(resolutionPct / 100);
  const enough = Math.max(Math.abs(Math.log(ratio)), Math.log1p(targetPct / 100));
  return Math.max(windows, Math.ceil(windows * (halfWidth / enough) ** 2));
}

/** The median of finite-or-infinite counts (the upper one of an even count: a cell settles when most of its pairs do). */
function medianCount(xs: number[]): number {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.POSITIVE_INFINITY;
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
      windowsToSettle: medianCount(
        unsettled.map((p) =>
          windowsToSettle(
            p.effect.resolutionPct,
            p.effect.ratio,
            Math.min(count(p.a), count(p.b)),
            adaptive.targetResolutionPct,
          ),
        ),
      ),
    });
  }
  return byPromise(out, adaptive.maxSamples);
}

/** The file's comment: cells that can settle first, nearest first; then the rest, most undecided first. */
export function byPromise(cells: OpenCell[], maxSamples: number): OpenCell[] {
  const settles = (c: OpenCell) => c.windowsToSettle <= maxSamples;
  return cells.sort(
    (a, b) =>
      Number(settles(b)) - Number(settles(a)) ||
      (settles(a) ? a.windowsToSettle - a.windows - (b.windowsToSettle - b.windows) : 0) ||
      b.unsettled - a.unsettled ||
      (Number.isFinite(b.resolutionPct) ? b.resolutionPct : 1e9) -
        (Number.isFinite(a.resolutionPct) ? a.resolutionPct : 1e9),
  );
}

/** Why a cell is in the next round, for the manifest. */
export function whyLine(cell: OpenCell, levelText: string, target: number): string {
  const mode = cell.connection === 'close' ? 'close' : 'keep-alive';
  const workload = cell.workload === 'seed' ? '' : `${cell.workload} `;
  const reach = Number.isFinite(cell.windowsToSettle)
    ? `, about ${cell.windowsToSettle} to settle`
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
