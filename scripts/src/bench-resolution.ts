import { mkdtempSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import {
  type Cell,
  cellGroups,
  groupPairs,
  LEAD_METRIC,
  readResultSet,
  type StackResult,
  stackCells,
} from '@stackbench/report';
import { parseScriptOptions } from './script-options.js';
import { runSetBin } from './set-bin.js';
import { root } from './workspace.js';

const o = parseScriptOptions(
  'bench:resolution',
  'Pairs ordered before and after, resolution per cell, and the twin over repeated sets.',
  {
    before: {
      type: 'string',
      valueName: 'DIR',
      description: 'a built checkout of the earlier commit to compare with (skipped when absent)',
    },
    sets: {
      type: 'integer',
      default: 1,
      min: 0,
      valueName: 'N',
      description: 'main-command sets of each tree (before, then after, N times)',
    },
    twinSets: {
      type: 'integer',
      default: 3,
      min: 0,
      valueName: 'N',
      description: 'sets of each twin (identical, then slowed, N times)',
    },
    twinStack: {
      type: 'string',
      default: 'prefork-rr',
      valueName: 'STACK',
      description: 'the stack the twin copies',
    },
    twinWrites: {
      type: 'integer',
      default: 11000,
      min: 1,
      valueName: 'N',
      description: "STACKBENCH_WRITES of the slowed twin (the app's default is 10000: 10 % more)",
    },
    twinBudget: {
      type: 'string',
      default: '240',
      valueName: 'DURATION',
      description: 'budget of each twin set (--budget)',
    },
    twinCycles: {
      type: 'string',
      valueName: 'N:N',
      description: "users of the twin sets (default: the local profile's levels)",
    },
    afterSet: {
      type: 'string',
      valueName: 'SET',
      description: "an existing set of this tree's main command to use as the first 'after'",
    },
    aaSet: {
      type: 'string',
      valueName: 'SET',
      description:
        'a second set of the same code (A/A): its pairs ordered, and how many pairs both sets order, in the same order or not',
    },
    out: {
      type: 'string',
      valueName: 'DIR',
      description: 'where the sets go (default: a new temp dir, kept and printed)',
    },
  },
);

/** One matrix run of `tree`; its progress goes to our stderr. Returns the set and its minutes. */
function matrix(tree: string, args: string[]): Promise<{ dir: string; minutes: number }> {
  const bin = join(tree, 'packages/bench/bin/stackbench-matrix.js');
  return runSetBin(bin, args, tree, 'RESOLUTION_MATRIX_FAILED');
}

interface Ordered {
  ordered: number;
  pairs: number;
  /** Per cell: `mode level: ordered/pairs, resolution`. */
  cells: string[];
}

// the workload too: a set of several workloads has a cell per workload at the same mode and level
const cellLabel = (c: { workload?: string; connection: string; level: number }) =>
  `${c.workload && c.workload !== 'seed' ? `${c.workload} ` : ''}${c.connection} ${c.level}`;

/** The earlier rule: a pair is ordered when the 95 % intervals of its two medians are disjoint. */
function byIntervals(stacks: StackResult[]): Ordered {
  const cells = stacks.flatMap((s) => stackCells(s));
  const groups = new Map<string, Cell[]>();
  for (const c of cells) groups.set(cellLabel(c), [...(groups.get(cellLabel(c)) ?? []), c]);
  const out: Ordered = { ordered: 0, pairs: 0, cells: [] };
  for (const [label, group] of groups) {
    let ordered = 0;
    let pairs = 0;
    for (let i = 0; i < group.length; i++)
      for (let j = i + 1; j < group.length; j++) {
        const a = group[i]!.summary.rps;
        const b = group[j]!.summary.rps;
        pairs++;
        if (a.lo > b.hi || b.lo > a.hi) ordered++;
      }
    out.ordered += ordered;
    out.pairs += pairs;
    out.cells.push(`${label}: ${ordered}/${pairs}`);
  }
  return out;
}

/** The pairs a set decides, by cell and pair, with which of the two is faster. */
function decidedPairs(stacks: StackResult[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const group of cellGroups(stacks)) {
    for (const p of groupPairs(group, LEAD_METRIC).pairs) {
      if (p.better) out.set(`${cellLabel(group)} ${p.a} ${p.b}`, p.better);
    }
  }
  return out;
}

/** This tree's rule: pairs decided by their paired ratio (report's groupPairs). */
function byPairs(stacks: StackResult[]): Ordered {
  const out: Ordered = { ordered: 0, pairs: 0, cells: [] };
  for (const group of cellGroups(stacks)) {
    const g = groupPairs(group, LEAD_METRIC);
    out.ordered += g.decided;
    out.pairs += g.total;
    out.cells.push(
      `${cellLabel(g)}: ${g.decided}/${g.total}, resolution ${g.resolutionPct.toFixed(1)} % (worst ${g.worstResolutionPct.toFixed(1)} %), ${g.windows.min}–${g.windows.max} windows`,
    );
  }
  return out;
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length ? sorted[Math.floor(sorted.length / 2)]! : Number.NaN;
};

/** What the windows of a set saw: how many reached steady throughput, and the host's noise. */
function windowsText(stacks: StackResult[]): string {
  const windows = stacks.flatMap((s) => s.runs.flatMap((r) => r.windows));
  const noise = windows.flatMap((w) => (w.noise ? [w.noise] : []));
  const steady = windows.filter((w) => w.load.cycles[0]?.window?.steady).length;
  const disturbed = noise.filter((n) => n.disturbed.length > 0).length;
  const f = (pick: (n: (typeof noise)[number]) => number) => median(noise.map(pick)).toFixed(1);
  return `${windows.length} windows, ${steady} steady warm-ups, ${disturbed} disturbed; median steal ${f((n) => n.stealPct)} % (max ${Math.max(0, ...noise.map((n) => n.stealPct)).toFixed(1)} %), foreign ${f((n) => n.foreignCpuPct)} %, driver ${f((n) => n.driverCpuPct)} %`;
}

const pct = (n: number, of: number) => (of ? `${((100 * n) / of).toFixed(1)} %` : 'n/a');

/**
 * Per cell of a twin set: the twin pair's verdict, and whether the host was CPU-bound there (the
 * host above 90 % busy in more than half of the original's windows).
 */
function twinVerdicts(stacks: StackResult[], original: string) {
  const twin = `${original}~twin`;
  const busy = new Map<string, boolean>();
  for (const c of stackCells(stacks.find((s) => s.stack.name === original)!)) {
    busy.set(cellLabel(c), c.hostBusyWindows * 2 > c.windows);
  }
  return cellGroups(stacks).map((group) => {
    const g = groupPairs(group, LEAD_METRIC);
    const pair = g.pairs.find((p) => [p.a, p.b].includes(twin) && [p.a, p.b].includes(original));
    const e = pair?.effect;
    // the ratio twin / original
    const ratio = e ? (pair?.a === twin ? e.ratio : 1 / e.ratio) : Number.NaN;
    return {
      cell: cellLabel(group),
      cpuBound: busy.get(cellLabel(group)) ?? false,
      decided: e?.decided ?? false,
      twinSlower: pair?.better === original,
      ratio,
      resolutionPct: e?.resolutionPct ?? Number.POSITIVE_INFINITY,
      windows: g.windows.min,
    };
  });
}

const work = o.out ? resolve(o.out) : mkdtempSync(join(tmpdir(), 'bench-resolution-'));
const lines: string[] = [`bench-resolution: ${availableParallelism()} cores, sets under ${work}`];
const say = (line: string) => {
  lines.push(line);
  process.stderr.write(`${line}\n`);
};

let firstAfter: StackResult[] | undefined;
for (let i = 0; i < o.sets; i++) {
  if (o.before) {
    const before = await matrix(resolve(o.before), ['--out', join(work, 'before')]);
    const set = readResultSet(before.dir).stacks;
    const old = byIntervals(set);
    const now = byPairs(set);
    say(
      `before ${i + 1}: ${before.dir} (${before.minutes.toFixed(1)} min): ${old.ordered} of ${old.pairs} pairs ordered by its own rule (${pct(old.ordered, old.pairs)}); [${old.cells.join('; ')}]; the same data by pairs: ${now.ordered} of ${now.pairs}`,
    );
  }
  const after =
    i === 0 && o.afterSet
      ? { dir: resolve(o.afterSet), minutes: Number.NaN }
      : await matrix(root, ['--out', join(work, 'after')]);
  const set = readResultSet(after.dir).stacks;
  firstAfter ??= set;
  const now = byPairs(set);
  say(
    `after ${i + 1}: ${after.dir} (${Number.isNaN(after.minutes) ? 'an existing set' : `${after.minutes.toFixed(1)} min`}): ${now.ordered} of ${now.pairs} pairs ordered (${pct(now.ordered, now.pairs)}); cells: ${now.cells.join('; ')}; ${windowsText(set)}`,
  );
}

if (o.aaSet && firstAfter) {
  const set = readResultSet(resolve(o.aaSet)).stacks;
  const now = byPairs(set);
  const a = decidedPairs(firstAfter);
  const b = decidedPairs(set);
  const both = [...a.keys()].filter((k) => b.has(k));
  const same = both.filter((k) => a.get(k) === b.get(k)).length;
  say(
    `A/A: ${o.aaSet}: ${now.ordered} of ${now.pairs} pairs ordered (${pct(now.ordered, now.pairs)}); cells: ${now.cells.join('; ')}; ordered in both sets: ${both.length}, in the same order: ${same}`,
  );
}

// the seed's app only: the slowed twin's parameter (STACKBENCH_WRITES) is that app's, and
// another workload's cells (plaintext) would count a twin that is not slower there as a miss
const twinArgs = [
  '--workloads',
  'seed',
  '--stacks',
  o.twinStack,
  '--budget',
  o.twinBudget,
  ...(o.twinCycles ? ['--cycles', o.twinCycles] : []),
];
const tally = { identical: { tied: 0, cells: 0 }, slowed: { below: 0, cpuBound: 0, cells: 0 } };
for (let i = 0; i < o.twinSets; i++) {
  for (const kind of ['identical', 'slowed'] as const) {
    const twin =
      kind === 'identical' ? o.twinStack : `${o.twinStack}:STACKBENCH_WRITES=${o.twinWrites}`;
    const run = await matrix(root, [
      '--out',
      join(work, `twin-${kind}`),
      '--twin',
      twin,
      ...twinArgs,
    ]);
    const verdicts = twinVerdicts(readResultSet(run.dir).stacks, o.twinStack);
    for (const v of verdicts) {
      if (kind === 'identical') {
        tally.identical.cells++;
        if (!v.decided) tally.identical.tied++;
      } else {
        tally.slowed.cells++;
        if (v.cpuBound) {
          tally.slowed.cpuBound++;
          if (v.decided && v.twinSlower) tally.slowed.below++;
        }
      }
    }
    say(
      `twin ${kind} ${i + 1}: ${run.dir} (${run.minutes.toFixed(1)} min): ${verdicts
        .map(
          (v) =>
            `${v.cell}${v.cpuBound ? ' (CPU-bound)' : ''} ${v.decided ? (v.twinSlower ? 'slower' : 'faster') : 'tied'} ${v.ratio.toFixed(3)}, resolution ${v.resolutionPct.toFixed(1)} %, ${v.windows} windows`,
        )
        .join('; ')}`,
    );
  }
}
if (o.twinSets > 0) {
  say(
    `identical twin tied in ${tally.identical.tied} of ${tally.identical.cells} cells (${pct(tally.identical.tied, tally.identical.cells)}; target >= 95 %)`,
  );
  say(
    `twin with STACKBENCH_WRITES=${o.twinWrites} ranked below ${o.twinStack} in ${tally.slowed.below} of ${tally.slowed.cpuBound} CPU-bound cells (${pct(tally.slowed.below, tally.slowed.cpuBound)}; target >= 90 %; ${tally.slowed.cells} cells in all)`,
  );
}
process.stdout.write(`${lines.join('\n')}\n`);
