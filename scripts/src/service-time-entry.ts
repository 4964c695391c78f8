/**
 * One runtime's measurement for `npm run bench:app -- --runtimes …`: the bench app's service time
 * split into its steps, printed as one JSON line. Runs on any runtime (Node, Bun, Deno): only
 * node: APIs the three share. Args: SAMPLES WRITE_MODE.
 */
import { defaultParams, measureServiceTime, type WriteMode } from '@stackbench/app';

const samples = Number(process.argv[2] ?? '400');
const writeMode = (process.argv[3] ?? 'sync') as WriteMode;
const bun = (globalThis as { Bun?: { version: string } }).Bun;
const deno = (globalThis as { Deno?: { version: { deno: string } } }).Deno;
const t = await measureServiceTime({
  samples,
  budgetMs: 10_000,
  params: { ...defaultParams, writeMode },
});
process.stdout.write(
  `${JSON.stringify({
    runtime: bun
      ? `Bun ${bun.version}`
      : deno
        ? `Deno ${deno.version.deno}`
        : `Node ${process.version}`,
    ...t,
  })}\n`,
);
