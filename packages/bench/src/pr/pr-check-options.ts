/** Option table of `stackbench-pr-check` (nx run bench:pr-check), the pull-request benchmark check. */
import type { CommandDescription, OptionTable } from '@stackbench/cli';
import { profileFlagOptions } from '../settings/profile-keys.js';

export const prCheckOptions = {
  baseRef: {
    type: 'string',
    default: 'origin/main',
    valueName: 'REF',
    description: 'the base branch or commit (fetched) whose committed sets are the base',
  },
  profile: {
    type: 'string',
    default: 'pr',
    valueName: 'NAME',
    description:
      'profile of the measurement (an interleaved one: the A/B set runs base and head in the same rounds)',
  },
  // profile overrides (settings/profile-table.ts), described for the check
  stacks: {
    ...profileFlagOptions.stacks,
    description: "measure only these stacks, comma-separated (default: the profile's)",
  },
  samples: {
    ...profileFlagOptions.samples,
    min: 2,
    description: "sample windows per cell before adaptive rounds (default: the profile's)",
  },
  failOnRegression: {
    type: 'number',
    default: 10,
    min: 0,
    valueName: 'PCT',
    description: 'exit 1 when a significant regression is larger than PCT percent',
  },
  measureBase: {
    type: 'string',
    default: 'auto',
    choices: ['auto', 'never'],
    valueName: 'auto|never',
    description:
      'auto: measure base and head side by side in one set (bench:ab) when no committed set is comparable; never: fail then',
  },
  work: {
    type: 'string',
    default: '.pr-bench',
    valueName: 'DIR',
    description: 'where the head and base sets and compare.md go',
  },
  repo: {
    type: 'string',
    valueName: 'DIR',
    description: 'git repository holding the base ref (default: this workspace)',
  },
  plain: {
    type: 'boolean',
    description: 'progress as plain lines, not a redrawn line (CI logs)',
  },
} as const satisfies OptionTable;

export const prCheckCommand: CommandDescription = {
  usage: 'stackbench-pr-check [options]',
  summary:
    "A pull request's benchmark check: when a set committed at the base ref is comparable (same profile and host class), measure the head and compare like bench:compare; otherwise measure base and head side by side in one A/B set (bench:ab) and take its verdict. Fails on a significant regression beyond --fail-on-regression.",
  epilog: 'Writes DIR/compare.md (the workflow adds it to the job summary).',
};
