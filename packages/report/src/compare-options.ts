/** Option table of `stackbench-compare` (nx run bench:compare --base SET --head SET). */
import type { CommandDescription, OptionTable } from '@stackbench/cli';
import { CORRECTIONS } from './compare.js';

export const compareOptions = {
  base: { type: 'string', valueName: 'SET', description: 'result set before the change' },
  head: { type: 'string', valueName: 'SET', description: 'result set after the change' },
  output: { type: 'string', valueName: 'FILE', description: 'also write the Markdown table here' },
  alpha: {
    type: 'number',
    default: 0.05,
    min: 0,
    exclusiveMin: true,
    max: 0.5,
    valueName: 'P',
    description: 'significance level of the Mann–Whitney U test',
  },
  correction: {
    type: 'string',
    default: 'holm',
    choices: CORRECTIONS,
    valueName: 'holm|bh|cell|none',
    description:
      "multiple comparisons: Holm over all tests, Benjamini–Hochberg over all tests, Holm over each cell's metrics, or none",
  },
  minChange: {
    type: 'number',
    default: 5,
    min: 0,
    valueName: 'PCT',
    description: 'smallest change of the medians reported even when significant (noise threshold)',
  },
  failOnRegression: {
    type: 'number',
    min: 0,
    valueName: 'PCT',
    description: 'exit 1 when a significant regression is larger than PCT percent (CI gating)',
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
    'Compare two result sets like benchstat: per cell (stack × mode × level) and metric (RPS, p50, p95, p99, max, CPU ms per request), medians with 95 % intervals and a Mann–Whitney U test; `~` where the change is within the noise.',
};
