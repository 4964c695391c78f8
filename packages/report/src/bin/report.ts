import { formatHelp, parseCommandLine, runCli, UsageError } from '@stackbench/cli';
import { buildReport } from '../build-report.js';
import { reportCommand, reportOptions } from '../report-options.js';

await runCli('stackbench-report', async (argv) => {
  const { positionals, help } = parseCommandLine(reportOptions, argv);
  if (help) {
    process.stdout.write(formatHelp(reportCommand, reportOptions));
    return 0;
  }
  if (positionals.length === 0) {
    throw new UsageError('give at least one result set directory (results/<host>/<set-id>)');
  }
  for (const dir of positionals) {
    const built = await buildReport(dir);
    process.stdout.write(`${built.reportPath} (${built.charts.length} chart files)\n`);
  }
  return 0;
});
