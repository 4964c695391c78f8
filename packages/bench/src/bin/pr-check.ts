import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { formatHelp, parseCommandLine, runCli, UsageError, workspaceRoot } from '@stackbench/cli';
import { type MeasureBase, prCheck } from '../pr/pr-check.js';
import { prCheckCommand, prCheckOptions } from '../pr/pr-check-options.js';
import { createProgress } from '../set/progress.js';
import { abortOnSignals } from './interrupt.js';

await runCli('stackbench-pr-check', async (argv) => {
  const { options, positionals, help } = parseCommandLine(prCheckOptions, argv);
  if (help) {
    process.stdout.write(formatHelp(prCheckCommand, prCheckOptions));
    return 0;
  }
  if (positionals.length) throw new UsageError(`unexpected argument ${positionals[0]}; see --help`);
  const root = workspaceRoot();
  const workDir = resolve(options.work);
  mkdirSync(workDir, { recursive: true });
  const controller = abortOnSignals('stackbench-pr-check', 'stopping');
  const tty = process.stderr.isTTY === true && !options.plain;
  const outcome = await prCheck({
    root,
    repo: resolve(options.repo ?? root),
    baseRef: options.baseRef,
    profile: options.profile,
    stacks: options.stacks,
    ...(options.samples !== undefined ? { samples: options.samples } : {}),
    failOnRegressionPct: options.failOnRegression,
    workDir,
    measureBase: options.measureBase as MeasureBase,
    log: (line) => process.stderr.write(`${line}\n`),
    signal: controller.signal,
    progress: (plan) => createProgress({ ...plan, tty, write: (t) => process.stderr.write(t) }),
  });
  process.stdout.write(`${outcome.comparePath}\n`);
  if (outcome.regressions.length) {
    process.stderr.write(
      `stackbench-pr-check: significant regressions larger than ${options.failOnRegression} %:\n  ${outcome.regressions.join('\n  ')}\n`,
    );
    return 1;
  }
  return 0;
});
