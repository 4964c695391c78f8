/**
 * The bench app's own service time on this host, split into its steps (CPU, sleep, writes), for
 * sync and async writes, and the Little's-law capacity it implies per core and per user.
 * Not a test: figures go into packages/app/README.md. Run: npm run bench:app [-- --samples N]
 */
import { availableParallelism, cpus } from 'node:os';
import { defaultParams, measureServiceTime, type WriteMode } from '@stackbench/app';
import { parseScriptOptions } from './script-options.js';

const { samples } = parseScriptOptions(
  'bench:app',
  'Service time of the bench app per step, sync and async writes.',
  {
    samples: {
      type: 'integer',
      min: 1,
      default: 400,
      description: 'requests timed per write mode (10 s at most)',
    },
  },
);

const fixed = (n: number, digits = 2) => n.toFixed(digits);
console.log(
  `host: ${cpus()[0]?.model ?? 'unknown CPU'}, ${availableParallelism()} cores, Node ${process.version}`,
);
console.log(
  `params: ${JSON.stringify(defaultParams)} (write mode varies below); up to ${samples} requests timed per mode (10 s at most), after a warm-up\n`,
);
console.log(
  '| writes | requests timed | cpu step ms | sleep ms | writes ms | total ms | CPU time/req ms | max RPS per core | max RPS per user |',
);
console.log('|---|---|---|---|---|---|---|---|---|');
for (const writeMode of ['sync', 'async'] as WriteMode[]) {
  const t = await measureServiceTime({
    samples,
    budgetMs: 10_000,
    params: { ...defaultParams, writeMode },
  });
  console.log(
    `| ${writeMode} | ${t.samples} | ${fixed(t.cpuMs, 3)} | ${fixed(t.sleepMs)} | ${fixed(t.writesMs)} | ${fixed(t.totalMs)} | ${fixed(t.cpuTimeMs)} | ${fixed(1000 / t.cpuTimeMs, 1)} | ${fixed(1000 / t.totalMs, 2)} |`,
  );
}
