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
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { measureServiceTime, readParams } from '@stackbench/app';
import { type AbEffect, abVerdict, readResultSet } from '@stackbench/report';
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
  const mid = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1] as number;
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

const truth = await trueSlowdown();
for (const [w, r] of truth) {
  process.stderr.write(
    `true slowdown in-process, writes ${w}: CPU per request ×${r.cpu.toFixed(3)}, service time ×${r.total.toFixed(3)}\n`,
  );
}
if (o.truthOnly) process.exit(0);
const out = o.out ?? mkdtempSync(join(tmpdir(), 'stackbench-ab-proof-'));
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
      const started = Date.now();
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
      const verdict = abVerdict(readResultSet(dir).stacks);
      const changes = verdict.effects.filter((e) => e.verdict !== '~');
      outcomes.push({
        variant: v.name,
        dir,
        minutes: (Date.now() - started) / 60_000,
        changes,
        worse: verdict.effects.some((e) => e.verdict === 'worse'),
        effects: verdict.effects,
      });
      process.stderr.write(
        `${v.name}: ${changes.length ? changes.map(fmt).join('; ') : 'no change'}\n`,
      );
    }
  }
} finally {
  rmSync(tree, { recursive: true, force: true });
  await new Promise((done) =>
    spawn('git', ['-C', root, 'worktree', 'prune'], { stdio: 'ignore' }).on('exit', done),
  );
}

const mid = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1] ?? Number.NaN;
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
      `${v.name}: ${clean} of ${mine.length} runs report no significant change (median ${medianMin.toFixed(1)} min a run)`,
    );
  } else {
    const t = truth.get(v.writes) as { cpu: number; total: number };
    const worse = mine.filter((x) => x.worse).length;
    const covers = (metric: AbEffect['metric'], want: number) => {
      const es = mine.flatMap((x) => x.effects.filter((e) => e.metric === metric));
      const hit = es.filter((e) => e.effect.lo <= want && want <= e.effect.hi).length;
      return `${hit} of ${es.length}`;
    };
    const cpuFlag = mine.filter((x) =>
      x.effects.some((e) => e.metric === 'cpuMsPerRequest' && e.verdict === 'worse'),
    ).length;
    const rpsFlag = mine.filter((x) =>
      x.effects.some((e) => e.metric === 'rps' && e.verdict === 'worse'),
    ).length;
    lines.push(
      `${v.name}: flagged worse in ${worse} of ${mine.length} runs (CPU per request in ${cpuFlag}, RPS in ${rpsFlag}); CPU-per-request intervals cover the in-process ×${t.cpu.toFixed(3)} in ${covers('cpuMsPerRequest', t.cpu)}; RPS intervals cover ×${(1 / t.cpu).toFixed(3)} (CPU-bound) in ${covers('rps', 1 / t.cpu)} (median ${medianMin.toFixed(1)} min a run)`,
    );
  }
}
const report = lines.join('\n');
process.stdout.write(`\n${report}\n`);
writeFileSync(
  join(out, 'proof.json'),
  `${JSON.stringify({ truth: Object.fromEntries(truth), outcomes: outcomes.map((x) => ({ ...x, effects: x.effects.map(fmt), changes: x.changes.map(fmt) })), report }, null, 2)}\n`,
);
process.stderr.write(`bench:ab-proof: ${join(out, 'proof.json')}\n`);
