/**
 * Proof of "A/B in one set": repeated `bench:ab` runs of the PR profile on this host, the head
 * being this tree with the app's writes changed on the head side only (`--head-env`):
 *   - A = B (no change): how many runs report any significant change (should be ≤ 5 %);
 *   - 10 % and 20 % more writes: how many runs flag the head worse, and whether the intervals
 *     of CPU per request and RPS cover the true slowdown, measured in-process (the app's CPU time
 *     per request at each writes setting, as bench:app measures it).
 * Runs rotate A = B, +10 %, +20 % so host drift falls on all three alike. Not a test: each run
 * is a whole A/B set. Run: npm run bench:ab-proof [-- --runs 5 --stacks supervisor-node]
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { measureServiceTime, readParams } from '@stackbench/app';
import { type AbEffect, abSideOf, abVerdict, isReplaced, readResultSet } from '@stackbench/report';
import { parseScriptOptions } from './script-options.js';
import { runSetBin } from './set-bin.js';
import { root } from './workspace.js';

const o = parseScriptOptions(
  'bench:ab-proof',
  'A = B and known slowdowns through bench:ab, repeated: false changes, power, coverage.',
  {
    runs: {
      type: 'integer',
      default: 5,
      min: 1,
      valueName: 'N',
      description: 'A/B sets of each variant (A = B, +10 %, +20 % writes)',
    },
    stacks: {
      type: 'string',
      valueName: 'A,B',
      description: "stacks of each set (default: the PR profile's)",
    },
    budget: {
      type: 'string',
      valueName: 'DURATION',
      description: "adaptive budget of each set (default: the PR profile's)",
    },
    base: {
      type: 'string',
      default: 'HEAD',
      valueName: 'REF',
      description: 'the base (A = B when the working tree is that commit)',
    },
    out: {
      type: 'string',
      valueName: 'DIR',
      description: 'where the sets go (default: a new temp dir, kept and printed)',
    },
    from: {
      type: 'string',
      valueName: 'DIR',
      description:
        'summarise the sets an earlier run left in DIR (its --out) instead of measuring new ones; the true slowdown is measured anew',
    },
    truthOnly: {
      type: 'boolean',
      description: 'only measure the true slowdown in-process (on a quiet host) and stop',
    },
  },
);

interface Variant {
  name: string;
  writes: number | null;
}
const VARIANTS: Variant[] = [
  { name: 'A = B', writes: null },
  { name: '+10 % writes', writes: 11_000 },
  { name: '+20 % writes', writes: 12_000 },
];

/** One bench:ab run; its progress goes to our stderr. Returns the set's directory. */
async function ab(args: string[]): Promise<string> {
  const bin = join(root, 'packages/bench/bin/stackbench-ab.js');
  return (await runSetBin(bin, args, root, 'AB_PROOF_FAILED')).dir;
}

const mid = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1] ?? Number.NaN;

/**
 * CPU time per request in-process at each writes setting, as ratios to 10,000 writes: 20 rounds,
 * each timing the three settings back to back (0.6 s each) in a rotated order; the median of the
 * rounds' ratios (a single block drifts with the page cache and the host by ±10 %).
 */
async function trueSlowdown(): Promise<Map<number, { cpu: number; total: number }>> {
  const settings = [10_000, 11_000, 12_000];
  const ratios = new Map<number, { cpu: number[]; total: number[] }>(
    settings.map((w) => [w, { cpu: [], total: [] }]),
  );
  for (let i = 0; i < 20; i++) {
    const order = [...settings.slice(i % 3), ...settings.slice(0, i % 3)];
    const got = new Map<number, { cpu: number; total: number }>();
    for (const writes of order) {
      const params = readParams({ STACKBENCH_WRITES: String(writes) });
      const t = await measureServiceTime({ params, budgetMs: 600, sleepSamples: 1 });
      got.set(writes, { cpu: t.cpuTimeMs, total: t.totalMs });
    }
    const base = got.get(10_000) as { cpu: number; total: number };
    for (const w of settings) {
      const r = ratios.get(w) as { cpu: number[]; total: number[] };
      r.cpu.push((got.get(w)?.cpu ?? Number.NaN) / base.cpu);
      r.total.push((got.get(w)?.total ?? Number.NaN) / base.total);
    }
  }
  return new Map(
    settings.map((w) => {
      const r = ratios.get(w) as { cpu: number[]; total: number[] };
      return [w, { cpu: mid(r.cpu), total: mid(r.total) }];
    }),
  );
}

interface RunOutcome {
  variant: string;
  dir: string;
  minutes: number;
  changes: AbEffect[];
  worse: boolean;
  effects: AbEffect[];
}

const fmt = (e: AbEffect) =>
  `${e.stack} ${e.metric} ${e.effect.ratio.toFixed(3)} [${e.effect.lo.toFixed(3)}, ${e.effect.hi.toFixed(3)}] n=${e.effect.n}`;

/** A set's outcome: its variant (the head's STACKBENCH_WRITES), minutes and verdict. */
function outcomeOf(dir: string): RunOutcome {
  const set = readResultSet(dir);
  const env = set.manifest.ab?.head.env.STACKBENCH_WRITES;
  const writes = env === undefined ? null : Number(env);
  const verdict = abVerdict(set.stacks);
  const { startedAt, endedAt } = set.manifest;
  return {
    variant: VARIANTS.find((v) => v.writes === writes)?.name ?? `STACKBENCH_WRITES=${env}`,
    dir,
    minutes: endedAt ? (Date.parse(endedAt) - Date.parse(startedAt)) / 60_000 : Number.NaN,
    changes: verdict.effects.filter((e) => e.verdict !== '~'),
    worse: verdict.effects.some((e) => e.verdict === 'worse'),
    effects: verdict.effects,
  };
}

/** The set directories under a run's --out, oldest first (set ids start with their time). */
function setsUnder(out: string): string[] {
  const sets = join(out, 'sets');
  return readdirSync(sets, { withFileTypes: true })
    .filter((host) => host.isDirectory())
    .map((host) => host.name)
    .flatMap((host) =>
      readdirSync(join(sets, host))
        .filter((id) => existsSync(join(sets, host, id, 'manifest.json')))
        .map((id) => join(sets, host, id)),
    )
    .sort((a, b) => basename(a).localeCompare(basename(b)));
}

/** The runs, A = B, +10 %, +20 % in turn, each set's outcome as it ends. */
async function measure(out: string): Promise<RunOutcome[]> {
  const tree = join(out, 'base-tree');
  process.stderr.write(`bench:ab-proof: sets go to ${out}\n`);
  const common = [
    ...(o.stacks ? ['--stacks', o.stacks] : []),
    ...(o.budget ? ['--budget', o.budget] : []),
  ];
  const outcomes: RunOutcome[] = [];
  try {
    for (let run = 0; run < o.runs; run++) {
      for (const v of VARIANTS) {
        const first = run === 0 && v === VARIANTS[0];
        process.stderr.write(`\n=== run ${run + 1}/${o.runs}: ${v.name} ===\n`);
        const dir = await ab([
          '--base',
          o.base,
          // the base is built once and kept; every later run uses it as it is
          ...(first ? ['--keep-tree'] : ['--base-tree', tree]),
          '--work',
          out,
          ...(v.writes ? ['--head-env', `STACKBENCH_WRITES=${v.writes}`] : []),
          ...common,
        ]);
        const outcome = outcomeOf(dir);
        outcomes.push(outcome);
        process.stderr.write(
          `${v.name}: ${outcome.changes.length ? outcome.changes.map(fmt).join('; ') : 'no change'}\n`,
        );
      }
    }
  } finally {
    rmSync(tree, { recursive: true, force: true });
    await new Promise((done) =>
      spawn('git', ['-C', root, 'worktree', 'prune'], { stdio: 'ignore' }).on('exit', done),
    );
  }
  return outcomes;
}

/**
 * Does the side started first in a round fare better? Over every counted window of the sets: the
 * Jain index of its workers' connections and the median RPS, by whether its stack was started
 * before its other side in that round. The rule is schedule.ts's (`baseStartsFirst`): an A/B
 * couple's base starts first in the rounds where round + seed is even (the runs' `startedAt` is
 * the round's start, the same for both sides).
 */
function startOrderLine(dirs: string[]): string {
  const by = { first: [] as [number, number][], second: [] as [number, number][] };
  for (const dir of dirs) {
    const { manifest, stacks } = readResultSet(dir);
    for (const result of stacks) {
      const side = abSideOf(result.stack.name);
      if (!side) continue;
      for (const run of result.runs) {
        const baseFirst = (run.round + manifest.method.seed) % 2 === 0;
        const list = baseFirst === (side.side === 'base') ? by.first : by.second;
        for (const w of run.windows) {
          const jain = w.balance?.connectionsJain;
          if (isReplaced(w) || typeof jain !== 'number') continue;
          list.push([jain, w.load.cycles[0]?.rps.total ?? Number.NaN]);
        }
      }
    }
  }
  const text = (xs: [number, number][]) =>
    `Jain ${(xs.reduce((sum, [j]) => sum + j, 0) / xs.length).toFixed(2)} (mean), median RPS ${mid(xs.map(([, r]) => r)).toFixed(0)}, ${xs.length} windows`;
  return `start order, the side started first in its round: ${text(by.first)}; started second: ${text(by.second)}`;
}

const truth = await trueSlowdown();
for (const [w, r] of truth) {
  process.stderr.write(
    `true slowdown in-process, writes ${w}: CPU per request ×${r.cpu.toFixed(3)}, service time ×${r.total.toFixed(3)}\n`,
  );
}
if (o.truthOnly) process.exit(0);
const out = o.from ?? o.out ?? mkdtempSync(join(tmpdir(), 'stackbench-ab-proof-'));
const outcomes = o.from ? setsUnder(o.from).map(outcomeOf) : await measure(out);

/** Median rounds and resolution of a metric over a variant's runs. */
const sharpness = (mine: RunOutcome[], metric: AbEffect['metric']) => {
  const es = mine.flatMap((x) => x.effects.filter((e) => e.metric === metric));
  return `${metric} n=${mid(es.map((e) => e.effect.n))} rounds, resolution ${mid(es.map((e) => e.effect.resolutionPct)).toFixed(1)} %`;
};
const lines: string[] = [];
for (const v of VARIANTS) {
  const mine = outcomes.filter((x) => x.variant === v.name);
  const medianMin = mid(mine.map((x) => x.minutes));
  lines.push(
    `${v.name}, medians over runs: ${sharpness(mine, 'rps')}; ${sharpness(mine, 'cpuMsPerRequest')}; ${sharpness(mine, 'p95')}`,
  );
  if (v.writes === null) {
    const clean = mine.filter((x) => x.changes.length === 0).length;
    lines.push(
      `${v.name}: ${clean} of ${mine.length} runs report no significant change (median ${medianMin.toFixed(1)} min a set)`,
    );
  } else {
    const t = truth.get(v.writes) as { cpu: number; total: number };
    const worse = mine.filter((x) => x.worse).length;
    const covers = (metric: AbEffect['metric'], want: number) => {
      const es = mine.flatMap((x) => x.effects.filter((e) => e.metric === metric));
      const hit = es.filter((e) => e.effect.lo <= want && want <= e.effect.hi).length;
      return `${hit} of ${es.length}`;
    };
    const flagged = (metric: AbEffect['metric']) =>
      mine.filter((x) => x.effects.some((e) => e.metric === metric && e.verdict === 'worse'))
        .length;
    lines.push(
      `${v.name}: flagged worse in ${worse} of ${mine.length} runs (CPU per request in ${flagged('cpuMsPerRequest')}, RPS in ${flagged('rps')}); CPU-per-request intervals cover the in-process ×${t.cpu.toFixed(3)} in ${covers('cpuMsPerRequest', t.cpu)}; RPS intervals cover ×${(1 / t.cpu).toFixed(3)} (CPU-bound) in ${covers('rps', 1 / t.cpu)} (median ${medianMin.toFixed(1)} min a set)`,
    );
  }
}
lines.push(startOrderLine(outcomes.map((x) => x.dir)));
const report = lines.join('\n');
process.stdout.write(`\n${report}\n`);
writeFileSync(
  join(out, 'proof.json'),
  `${JSON.stringify({ truth: Object.fromEntries(truth), outcomes: outcomes.map((x) => ({ ...x, effects: x.effects.map(fmt), changes: x.changes.map(fmt) })), report }, null, 2)}\n`,
);
process.stderr.write(`bench:ab-proof: ${join(out, 'proof.json')}\n`);
