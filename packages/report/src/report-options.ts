/** Option table of `stackbench-report` (nx run bench:report SET). */
import type { CommandDescription, OptionTable } from '@stackbench/cli';

export const reportOptions = {
  results: {
    type: 'string',
    valueName: 'DIR',
    description:
      'results root whose README.md index to rebuild when no SET is given (default: results)',
  },
} as const satisfies OptionTable;

export const reportCommand: CommandDescription = {
  usage: 'stackbench-report [options] [SET ...]',
  summary:
    'Rebuild report.md and charts/ (vega-lite .vl.json and .svg) of result sets from their JSON files, then the index of their results root (README.md). Without SET: only the index of --results.',
  epilog: 'SET is a result set directory, e.g. results/<host>/<UTC timestamp>-<profile>.',
};
