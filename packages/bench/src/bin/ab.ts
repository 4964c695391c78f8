import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { formatHelp, parseCommandLine, runCli, UsageError, workspaceRoot } from '@stackbench/cli';
import { abEffectLine } from '@stackbench/report';
import { AbError } from '../errors.js';
import { runAb } from '../pr/ab.js';
import { abCommand, abOptions } from '../pr/ab-options.js';
import { setOverrides } from '../profile/set-flags.js';
import { cleanStaleRunDirs } from '../session/run-dir.js';
import { createProgress } from '../set/progress.js';
import { newSeed } from '../set/schedule.js';
import { parseAppEnv } from '../stack/twin.js';
import { abortOnSignals } from './interrupt.js';

await runCli('stackbench-ab', async (argv) => {
  const { options, positionals, help } = parseCommandLine(abOptions, argv);
  if (help) {
    process.stdout.write(formatHelp(abCommand, abOptions));
    return 0;
  }
  if (positionals.length) throw new UsageError(`unexpected argument ${positionals[0]}; see --help`);
  if (options.base === undefined) {
    throw new UsageError('--base REF is required: the branch, tag or commit to compare against');
  }
  const { overrides, overridesText } = setOverrides(options);
  const headEnv =
    options.headEnv === undefined
      ? {}
      : parseAppEnv(options.headEnv, (problem) => {
          throw new AbError(`--head-env ${options.headEnv}: ${problem}`);
        });
  if (options.keepTree && options.baseTree !== undefined) {
    throw new UsageError(
      '--keep-tree keeps a worktree this run builds; --base-tree is one already kept',
    );
  }
  for (const dir of cleanStaleRunDirs()) process.stderr.write(`removed stale run dir ${dir}\n`);
  const controller = abortOnSignals('stackbench-ab', 'stopping');
  const root = workspaceRoot();
  const workDir = resolve(options.work);
  mkdirSync(workDir, { recursive: true });
  const tty = process.stderr.isTTY === true && !options.plain;
  const outcome = await runAb({
    root,
    repo: resolve(options.repo ?? root),
    baseRef: options.base,
    ...(options.head !== undefined ? { headRef: options.head } : {}),
    headEnv,
    ...(options.baseTree !== undefined ? { baseTree: options.baseTree } : {}),
    keepTree: options.keepTree === true,
    profile: options.profile,
    overrides,
    overridesText,
    seed: options.seed ?? newSeed(),
    workDir,
    failOnRegressionPct: options.failOnRegression ?? null,
    signal: controller.signal,
    progress: (plan) => createProgress({ ...plan, tty, write: (t) => process.stderr.write(t) }),
    log: (line) => process.stderr.write(`${line}\n`),
  });
  process.stderr.write(`${outcome.summary}; the verdict is in ${outcome.comparePath}\n`);
  process.stdout.write(`${outcome.dir}\n`);
  if (outcome.regressions.length) {
    process.stderr.write(
      `stackbench-ab: worse by more than ${options.failOnRegression} % over the whole interval:\n  ${outcome.regressions.map(abEffectLine).join('\n  ')}\n`,
    );
    return 1;
  }
  return 0;
});
