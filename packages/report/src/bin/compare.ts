import { writeFileSync } from 'node:fs';
import { formatHelp, parseCommandLine, runCli, UsageError } from '@stackbench/cli';
import { type CorrectionScope, compareSets, regressionsBeyond } from '../compare.js';
import { formatComparison } from '../compare-format.js';
import { compareCommand, compareOptions } from '../compare-options.js';
import { readResultSet } from '../read-set.js';

await runCli('stackbench-compare', async (argv) => {
  const { options, positionals, help } = parseCommandLine(compareOptions, argv);
  if (help) {
    process.stdout.write(formatHelp(compareCommand, compareOptions));
    return 0;
  }
  if (positionals.length) throw new UsageError(`unexpected argument ${positionals[0]}`);
  if (!options.base || !options.head) {
    throw new UsageError('--base SET and --head SET are both required');
  }
  const base = readResultSet(options.base);
  const head = readResultSet(options.head);
  const comparison = compareSets(base, head, {
    alpha: options.alpha,
    correction: options.correction as CorrectionScope,
    minChangePct: options.minChange,
    force: options.force,
  });
  const text = formatComparison(base, head, comparison);
  process.stdout.write(text);
  if (options.output) writeFileSync(options.output, text);
  if (options.failOnRegression !== undefined) {
    const regressions = regressionsBeyond(comparison, options.failOnRegression);
    if (regressions.length) {
      process.stderr.write(
        `stackbench-compare: significant regressions larger than ${options.failOnRegression} %:\n  ${regressions.join('\n  ')}\n`,
      );
      return 1;
    }
  }
  return 0;
});
