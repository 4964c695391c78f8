/**
 * Proof of the method (issue "Results that decide"): an A/A run — two sets of the same code
 * compared — must flag almost nothing, and an A/B run — one stack's app doing 20 % more work
 * (STACKBENCH_WRITES=12000 instead of 10,000, through its process env) — must be flagged worse
 * where that stack is CPU-bound, and no other stack flagged at all. Runs three sets of one
 * profile, A, B, A′, in that order (so the A/A pair spans the whole run's drift), and prints the
 * figures for the README. Not a test: it takes three matrix runs.
 * Run: npm run bench:fidelity [-- --profile local --slowed prefork-rr --keep DIR]
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import {
  type CommandDescription,
  formatHelp,
  type OptionTable,
  parseCommandLine,
  runCli,
  UsageError,
} from '@stackbench/cli';
import {
  type Comparison,
  type ConnectionMode,
  cellName,
  compareSets,
  connectionOf,
  formatComparison,
  HOST_BUSY_PCT,
  levelOf,
  readResultSet,
  type StackResult,
} from '@stackbench/report';
import { runSetBin } from './set-bin.js';
import { bins, root } from './workspace.js';

const options = {
  profile: {
    type: 'string',
    default: 'local',
    valueName: 'NAME',
    description: 'profile of the three sets',
  },
  stacks: {
    type: 'string',
    valueName: 'A,B',
    description: "only these stacks (default: the profile's)",
  },
  slowed: {
    type: 'string',
    default: 'prefork-rr',
    valueName: 'STACK',
    description: 'the stack whose app does 20 % more work in set B',
  },
  writes: {
    type: 'integer',
    default: 12000,
    min: 1,
    valueName: 'N',
    description: 'STACKBENCH_WRITES of the slowed stack in set B (the app default is 10000)',
  },
  keep: {
    type: 'string',
    valueName: 'DIR',
    description: 'keep the three sets and compare.md files here',
  },
} as const satisfies OptionTable;

const command: CommandDescription = {
  usage: 'npm run bench:fidelity -- [options]',
  summary: 'A/A and A/B proof of the statistics: three sets of one profile, compared.',
};

/** One matrix run; its progress goes to our stderr, the set directory is returned. */
async function matrix(args: string[]): Promise<string> {
  return (await runSetBin(bins.matrix, args, root, 'FIDELITY_MATRIX_FAILED')).dir;
}

/** stacks/ with the slowed stack's processes given STACKBENCH_WRITES. */
function slowedStacks(dir: string, stack: string, writes: number): string {
  const copy = join(dir, 'stacks-b');
  cpSync(join(root, 'stacks'), copy, { recursive: true });
  const file = join(copy, `${stack}.toml`);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new UsageError(`--slowed ${stack}: no stacks/${stack}.toml`);
  }
  if (/^env\s*=/m.test(text))
    throw new UsageError(`--slowed ${stack}: its processes set env already`);
  // each [[process]] gets the env line right after its name
  writeFileSync(
    file,
    text.replace(/^(name = .*)$/gm, `$1\nenv = { STACKBENCH_WRITES = "${writes}" }`),
  );
  return copy;
}

const cellKey = (c: { stack: string; connection: ConnectionMode; level: number }) =>
  `${cellName(c)} @ ${c.level}`;

/** Cells of a stack where the host's CPU was busy (the report's rule) in most of its windows. */
function cpuBoundCells(result: StackResult): Set<string> {
  const busy = new Map<string, number[]>();
  for (const run of result.runs)
    for (const w of run.windows) {
      const key = cellKey({
        stack: result.stack.name,
        connection: connectionOf(w),
        level: levelOf(w),
      });
      const list = busy.get(key) ?? [];
      list.push(w.load.cycles[0]?.hostCpuBusyPercent ?? 0);
      busy.set(key, list);
    }
  return new Set(
    [...busy.entries()]
      .filter(([, list]) => list.filter((v) => v > HOST_BUSY_PCT).length * 2 > list.length)
      .map(([key]) => key),
  );
}

function flaggedCells(c: Comparison): string[] {
  return c.cells.filter((cell) => cell.metrics.some((m) => m.verdict !== '~')).map(cellKey);
}

await runCli('bench-fidelity', async (argv) => {
  const { options: o, help, positionals } = parseCommandLine(options, argv);
  if (help) {
    process.stdout.write(formatHelp(command, options));
    return 0;
  }
  if (positionals.length) throw new UsageError(`unexpected argument ${positionals[0]}`);
  const work = o.keep ? resolve(o.keep) : mkdtempSync(join(tmpdir(), 'bench-fidelity-'));
  const common = [
    '--profile',
    o.profile,
    '--out',
    join(work, 'results'),
    ...(o.stacks ? ['--stacks', o.stacks] : []),
  ];
  try {
    const started = Date.now();
    const a = await matrix(common);
    const b = await matrix([...common, '--stacks-dir', slowedStacks(work, o.slowed, o.writes)]);
    const a2 = await matrix(common);
    const minutes = (Date.now() - started) / 60_000;
    const [setA, setB, setA2] = [a, b, a2].map((dir) => readResultSet(dir));
    const aa = compareSets(setA!, setA2!);
    const ab = compareSets(setA!, setB!);
    writeFileSync(join(work, 'compare-aa.md'), formatComparison(setA!, setA2!, aa));
    writeFileSync(join(work, 'compare-ab.md'), formatComparison(setA!, setB!, ab));
    const aaFlagged = flaggedCells(aa);
    const abFlagged = flaggedCells(ab);
    const slowed = setA!.stacks.find((s) => s.stack.name === o.slowed);
    const bound = slowed ? cpuBoundCells(slowed) : new Set<string>();
    const caught = [...bound].filter((key) =>
      ab.cells.some((c) => cellKey(c) === key && c.metrics.some((m) => m.verdict === 'worse')),
    );
    const others = abFlagged.filter(
      (key) => !key.startsWith(`${o.slowed} @`) && !key.startsWith(`${o.slowed} · `),
    );
    const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root })
      .toString()
      .trim();
    const pct = (n: number, of: number) => (of ? `${((100 * n) / of).toFixed(1)} %` : 'n/a');
    const lines = [
      `bench-fidelity: profile ${o.profile}, commit ${commit}, ${minutes.toFixed(1)} min for 3 sets`,
      `  sets: A ${a}`,
      `        B ${b} (${o.slowed}: STACKBENCH_WRITES=${o.writes})`,
      `        A' ${a2}`,
      `A/A: ${aaFlagged.length} of ${aa.cells.length} cells flagged (${pct(aaFlagged.length, aa.cells.length)}; target <= 5 %); tests: ${aa.counts.worse} worse, ${aa.counts.better} better, ${aa.counts['~']} ~${aaFlagged.length ? `; flagged: ${aaFlagged.join(', ')}` : ''}`,
      `A/B: ${o.slowed} flagged worse in ${caught.length} of ${bound.size} CPU-bound cells (${pct(caught.length, bound.size)}; target >= 90 %): ${[...bound].join(', ') || 'none CPU-bound'}`,
      `A/B: other stacks flagged: ${others.length} cells${others.length ? ` (${others.join(', ')})` : ''} (target 0)`,
      `  compare files: ${join(work, 'compare-aa.md')}, ${join(work, 'compare-ab.md')}`,
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
    return 0;
  } finally {
    if (!o.keep) rmSync(work, { recursive: true, force: true });
  }
});
