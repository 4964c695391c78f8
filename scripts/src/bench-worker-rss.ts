/**
 * `npm run bench:worker-rss`: the memory of each stack kind, base + per worker, measured on this
 * host and written to stacks/worker-memory.json, which the matrix's budget check reads
 * (packages/bench/src/set/set-budget.ts). Each stack of stacks/*.toml runs through the matrix itself (a
 * tiny profile, one stack, --workers N for each N) while this script samples the PSS of the
 * matrix's child processes (the stack's tree; the stack reaper left out) and of the matrix
 * process (orchestrator and in-process load driver); the peak at each N gives a straight line.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import {
  copyFileSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { StackbenchError } from '@stackbench/cli';
import { descendants, treeMemory } from './process-memory.js';
import { parseScriptOptions } from './script-options.js';
import { bins, root } from './workspace.js';

const o = parseScriptOptions(
  'bench:worker-rss',
  "Each stack's memory (PSS of its process tree) at two worker counts, fitted as base + per worker, into stacks/worker-memory.json.",
  {
    workers: {
      type: 'string',
      default: '2,8',
      valueName: 'A,B',
      description: 'the two worker counts each stack runs with',
    },
    stacks: {
      type: 'string',
      valueName: 'A,B',
      description: 'only these stacks (default: every stacks/*.toml)',
    },
    out: {
      type: 'string',
      default: join(root, 'stacks/worker-memory.json'),
      valueName: 'FILE',
      description: 'where the figures go',
    },
  },
);

const counts = o.workers.split(',').map(Number);
if (
  counts.length !== 2 ||
  !counts.every((n) => Number.isInteger(n) && n >= 1) ||
  counts[0] === counts[1]
) {
  throw new StackbenchError(
    'SCRIPT_USAGE',
    `--workers ${o.workers}: give two different whole numbers ≥ 1, e.g. 2,8`,
    { exitCode: 2 },
  );
}
const [low, high] = counts.sort((a, b) => a - b) as [number, number];

// a closed loop of 8 keep-alive users on the seed's app for a few seconds: the stack as it serves
const PROFILE = `default = "rss"
[rss]
description = "bench:worker-rss: one stack, a short load, to read its memory"
workers = 2
cycles = [8]
samples = 1
interleave = true
duration_s = 3
warmup_s = 1
cycle_warmup_s = 0.5
pause_s = 0
threads = 2
load_threads = 1
request_timeout_s = 10
`;

const stacksSource = join(root, 'stacks');
const stackNames = o.stacks
  ? o.stacks.split(',').map((s) => s.trim())
  : readdirSync(stacksSource)
      .filter((f) => f.endsWith('.toml') && f !== 'profiles.toml')
      .map((f) => f.slice(0, -'.toml'.length));

/** A stack that runs on no Node (bun-serve, deno-serve) runs on its one runtime. */
function runtimeOf(name: string): string | null {
  const text = readFileSync(join(stacksSource, `${name}.toml`), 'utf8');
  const list = /^supported\s*=\s*\[([^\]]*)\]/m.exec(text)?.[1];
  const names = (list ?? '').match(/"[^"]+"/g)?.map((s) => s.slice(1, -1)) ?? [];
  return names.length > 0 && !names.includes('node') ? (names[0] as string) : null;
}

interface Peak {
  stackPssMb: number;
  stackRssMb: number;
  processes: number;
  orchestratorPssMb: number;
}

const skip = [/reaper-main\.js/];

/** One matrix run of one stack with `workers`; the peaks while it ran, or why it did not run. */
async function measure(
  stacksDir: string,
  name: string,
  workers: number,
  runtime: string | null,
): Promise<Peak | { skipped: string }> {
  const out = mkdtempSync(join(tmpdir(), 'stackbench-worker-rss-'));
  const args = [
    bins.matrix,
    '--plain',
    '--stacks-dir',
    stacksDir,
    '--stacks',
    name,
    '--workers',
    String(workers),
    '--out',
    out,
    '--seed',
    '1',
    ...(runtime ? ['--runtimes', runtime] : []),
  ];
  // its own process group, ended in finally whatever happens
  const child: ChildProcess = spawn(process.execPath, args, {
    cwd: root,
    detached: true,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
  let running = true;
  void exited.then(() => {
    running = false;
  });
  const peak: Peak = { stackPssMb: 0, stackRssMb: 0, processes: 0, orchestratorPssMb: 0 };
  try {
    while (running) {
      const pid = child.pid as number;
      const tree = treeMemory(descendants(pid, skip));
      if (tree.pssMb > peak.stackPssMb) {
        peak.stackPssMb = tree.pssMb;
        peak.stackRssMb = tree.rssMb;
        peak.processes = tree.processes;
      }
      peak.orchestratorPssMb = Math.max(peak.orchestratorPssMb, treeMemory([pid]).pssMb);
      await sleep(150);
    }
    const code = await exited;
    if (code !== 0) {
      throw new StackbenchError(
        'SCRIPT_MATRIX_FAILED',
        `stackbench-matrix ${args.slice(1).join(' ')} exited ${code}: ${stderr.trim().split('\n').slice(-5).join(' / ')}`,
      );
    }
    const skipped = /^skipped [^:]+: (.*)$/m.exec(stderr)?.[1];
    if (skipped) return { skipped };
    return peak;
  } finally {
    if (running && child.pid) process.kill(-child.pid, 'SIGKILL');
    rmSync(out, { recursive: true, force: true });
  }
}

const round1 = (n: number) => Math.round(n * 10) / 10;

const stacksDir = mkdtempSync(join(tmpdir(), 'stackbench-worker-rss-stacks-'));
try {
  for (const file of readdirSync(stacksSource)) {
    if (file !== 'profiles.toml') copyFileSync(join(stacksSource, file), join(stacksDir, file));
  }
  writeFileSync(join(stacksDir, 'profiles.toml'), PROFILE);
  const stacks: Record<string, unknown> = {};
  let orchestratorMb = 0;
  for (const name of stackNames) {
    let runtime = runtimeOf(name);
    let a = await measure(stacksDir, name, low, runtime);
    // a stack this Node cannot run (reuseport-node on Node 20) names the runtime that can
    const named = 'skipped' in a ? /--runtimes (\w+)/.exec(a.skipped)?.[1] : undefined;
    if (named) {
      runtime = named;
      a = await measure(stacksDir, name, low, runtime);
    }
    if ('skipped' in a) {
      process.stderr.write(`${name}: skipped (${a.skipped})\n`);
      stacks[name] = { skipped: a.skipped };
      continue;
    }
    const b = await measure(stacksDir, name, high, runtime);
    if ('skipped' in b) throw new Error(`${name} ran with ${low} workers, not with ${high}`);
    const perWorkerMb = (b.stackPssMb - a.stackPssMb) / (high - low);
    const baseMb = Math.max(0, a.stackPssMb - perWorkerMb * low);
    orchestratorMb = Math.max(orchestratorMb, a.orchestratorPssMb, b.orchestratorPssMb);
    stacks[name] = {
      ...(runtime ? { runtime } : {}),
      baseMb: round1(baseMb),
      perWorkerMb: round1(perWorkerMb),
      points: [a, b].map((p, i) => ({
        workers: i === 0 ? low : high,
        processes: p.processes,
        pssMb: round1(p.stackPssMb),
        rssMb: round1(p.stackRssMb),
      })),
    };
    process.stderr.write(
      `${name}: ${round1(baseMb)} MB + ${round1(perWorkerMb)} MB per worker (PSS ${round1(a.stackPssMb)} MB at ${low}, ${round1(b.stackPssMb)} MB at ${high})\n`,
    );
  }
  const record = {
    schema: 'stackbench.worker-memory/1',
    host: hostname(),
    date: new Date().toISOString(),
    node: process.version,
    command: `npm run bench:worker-rss -- --workers ${low},${high}${o.stacks ? ` --stacks ${o.stacks}` : ''}`,
    method: `each stack through stackbench-matrix (one stack, 8 keep-alive users of the seed's app, threads = 2) at ${low} and ${high} workers; the peak PSS of the matrix's child processes (smaps_rollup; the stack reaper left out), fitted as base + per worker`,
    orchestratorMb: round1(orchestratorMb),
    stacks,
  };
  writeFileSync(o.out, `${JSON.stringify(record, null, 2)}\n`);
  process.stdout.write(`${o.out}\n`);
} finally {
  rmSync(stacksDir, { recursive: true, force: true });
}
