/**
 * The bench app's own service time on this host, split into its steps (CPU, sleep, writes), for
 * sync and async writes, and the Little's-law capacity it implies per core and per user.
 * With --runtimes, the same measurement on each runtime in turn (service-time-entry.js run by each
 * binary), with each runtime's writes and CPU time per request as a ratio of the first one's.
 * Not a test: figures go into packages/app/README.md.
 * Run: npm run bench:app [-- --samples N] [-- --runtimes node20,node22,node24,bun,deno]
 */
import { availableParallelism, cpus } from 'node:os';
import { join } from 'node:path';
import { defaultParams, measureServiceTime, type WriteMode } from '@stackbench/app';
import { StackbenchError } from '@stackbench/cli';
import { checkRuntimeNames, type Runtime, resolveRuntime } from '@stackbench/runtimes';
import { execa } from 'execa';
import { parseScriptOptions } from './script-options.js';
import { root } from './workspace.js';

const values = parseScriptOptions(
  'bench:app',
  'Service time of the bench app per step, sync and async writes; with --runtimes, on each runtime in turn.',
  {
    samples: {
      type: 'integer',
      min: 1,
      default: 400,
      description: 'requests timed per write mode (10 s at most)',
    },
    runtimes: {
      type: 'string',
      valueName: 'A,B',
      description: 'measure on each of these runtimes (node20, node22, node24, bun, deno)',
    },
  },
);
const samples = values.samples;

// bad runtime names (exit 2) or a runtime not installed (exit 1): one line, before any measurement
const names = values.runtimes?.split(',').map((n) => n.trim());
let runtimes: Runtime[] = [];
try {
  if (names) {
    checkRuntimeNames(names);
    runtimes = await Promise.all(names.map((n) => resolveRuntime(root, n)));
  }
} catch (error) {
  if (!(error instanceof StackbenchError)) throw error;
  console.error(`bench-app: --runtimes ${values.runtimes}: ${error.message}`);
  process.exit(error.exitCode);
}

type Measured = Awaited<ReturnType<typeof measureServiceTime>> & { runtime: string };
const entry = join(root, 'scripts/dist/service-time-entry.js');

async function onRuntime(runtime: Runtime, writeMode: WriteMode): Promise<Measured> {
  const args = runtime.engine === 'deno' ? ['run', '--allow-all', '--no-prompt', entry] : [entry];
  const { stdout } = await execa(runtime.binary, [...args, String(samples), writeMode], {
    cwd: root,
    timeout: 120_000,
    env: { DENO_NO_UPDATE_CHECK: '1' },
  });
  return JSON.parse(stdout.trim().split('\n').at(-1) as string) as Measured;
}

const fixed = (n: number, digits = 2) => n.toFixed(digits);
const row = (label: string, t: Measured, ratios = '') =>
  console.log(
    `| ${label} | ${t.samples} | ${fixed(t.cpuMs, 3)} | ${fixed(t.sleepMs)} | ${fixed(t.writesMs)} | ${fixed(t.totalMs)} | ${fixed(t.cpuTimeMs)} | ${fixed(1000 / t.cpuTimeMs, 1)} | ${fixed(1000 / t.totalMs, 2)} |${ratios}`,
  );
console.log(`host: ${cpus()[0]?.model ?? 'unknown CPU'}, ${availableParallelism()} cores`);
console.log(
  `params: ${JSON.stringify(defaultParams)} (write mode varies below); up to ${samples} requests timed per row (10 s at most), after a warm-up\n`,
);
const header =
  '| requests timed | cpu step ms | sleep ms | writes ms | total ms | CPU time/req ms | max RPS per core | max RPS per user |';
if (names === undefined) {
  console.log(`Node ${process.version}, in this process\n`);
  console.log(`| writes ${header}`);
  console.log('|---|---|---|---|---|---|---|---|---|');
  for (const writeMode of ['sync', 'async'] as WriteMode[]) {
    const t = await measureServiceTime({
      samples,
      budgetMs: 10_000,
      params: { ...defaultParams, writeMode },
    });
    row(writeMode, { ...t, runtime: `Node ${process.version}` });
  }
} else {
  for (const writeMode of ['sync', 'async'] as WriteMode[]) {
    console.log(
      `\n${writeMode} writes; ratios: writes ms and CPU time per request over ${names[0]}'s\n`,
    );
    console.log(`| runtime ${header} writes × | CPU/req × |`);
    console.log('|---|---|---|---|---|---|---|---|---|---|---|');
    let first: Measured | undefined;
    for (const runtime of runtimes) {
      const t = await onRuntime(runtime, writeMode);
      first ??= t;
      row(
        `${runtime.name} (${t.runtime})`,
        t,
        ` ${fixed(t.writesMs / first.writesMs)} | ${fixed(t.cpuTimeMs / first.cpuTimeMs)} |`,
      );
    }
  }
}
