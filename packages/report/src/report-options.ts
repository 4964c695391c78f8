/** Option table of `stackbench-report` (nx run bench:report SET). */
import type { CommandDescription, OptionTable } from '@stackbench/cli';

export const reportOptions = {} as const satisfies OptionTable;

export const reportCommand: CommandDescription = {
  usage: 'stackbench-report [options] SET [SET ...]',
  summary:
    'Rebuild report.md and charts/ (vega-lite .vl.json and .svg) of result sets from their JSON files.',
  epilog: 'SET is a result set directory, e.g. results/<host>/<UTC timestamp>-<profile>.',
};
