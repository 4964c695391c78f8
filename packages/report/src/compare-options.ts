/** Option table of `stackbench-compare` (nx run bench:compare --base SET --head SET). */
import type { CommandDescription, OptionTable } from '@stackbench/cli';

export const compareOptions = {
  base: { type: 'string', valueName: 'SET', description: 'result set before the change' },
  head: { type: 'string', valueName: 'SET', description: 'result set after the change' },
  output: { type: 'string', valueName: 'FILE', description: 'also write the Markdown table here' },
  threshold: {
    type: 'number',
    default: 5,
    min: 0,
    valueName: 'PCT',
    description: 'noise threshold in percent when the sets have no repetitions',
  },
  failOnRegression: {
    type: 'number',
    min: 0,
    valueName: 'PCT',
    description: 'exit 1 when a flagged regression exceeds PCT percent (CI gating)',
  },
  force: {
    type: 'boolean',
    default: false,
    description: 'compare sets with different profile hash or host class (with a warning)',
  },
} as const satisfies OptionTable;

export const compareCommand: CommandDescription = {
  usage: 'stackbench-compare --base SET --head SET [options]',
  summary:
    'Print a Markdown table of deltas per stack × CUs (RPS, med, p95, failures) between two result sets.',
};
