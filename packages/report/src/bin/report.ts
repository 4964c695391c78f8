import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { formatHelp, parseCommandLine, runCli, UsageError } from '@stackbench/cli';
import { buildReport } from '../build-report.js';
import { reportCommand, reportOptions } from '../report-options.js';
import { writeResultsIndex } from '../results-index.js';

await runCli('stackbench-report', async (argv) => {
  const { options, positionals, help } = parseCommandLine(reportOptions, argv);
  if (help) {
    process.stdout.write(formatHelp(reportCommand, reportOptions));
    return 0;
  }
  for (const dir of positionals) {
    const built = await buildReport(dir);
    process.stdout.write(`${built.reportPath} (${built.charts.length} chart files)\n`);
  }
  // a set lives at <root>/<host>/<set-id>: its root's index lists it
  const roots = positionals.length
    ? [...new Set(positionals.map((dir) => dirname(dirname(resolve(dir)))))]
    : [resolve(options.results ?? 'results')];
  for (const root of roots) {
    if (!existsSync(root)) {
      throw new UsageError(
        `--results ${root}: no such directory (give the results root, e.g. results)`,
      );
    }
    process.stdout.write(`${writeResultsIndex(root)}\n`);
  }
  return 0;
});
