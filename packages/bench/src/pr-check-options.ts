/** Option table of `stackbench-pr-check` (nx run bench:pr-check), the pull-request benchmark check. */
import type { CommandDescription, OptionTable } from '@stackbench/cli';

export const prCheckOptions = {
  baseRef: {
    type: 'string',
    default: 'origin/main',
    valueName: 'REF',
    description: 'the base branch or commit (fetched) whose committed sets are the base',
  },
  profile: {
    type: 'string',
    default: 'smoke',
    valueName: 'NAME',
    description: 'profile of the head (and base) measurement',
  },
  stacks: {
    type: 'string',
    valueName: 'A,B',
    description: "measure only these stacks, comma-separated (default: the profile's)",
  },
  samples: {
    type: 'integer',
    default: 8,
    min: 1,
    max: 1000,
    valueName: 'K',
    description:
      'sample windows per cell (8 vs 8 windows can pass Holm over a smoke comparison; 2 never can)',
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
      'auto: measure the base commit here when no committed set is comparable; never: fail then',
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
} as const satisfies OptionTable;

export const prCheckCommand: CommandDescription = {
  usage: 'stackbench-pr-check [options]',
  summary:
    "A pull request's benchmark check: measure the head with a short profile, take the newest comparable set committed at the base ref (or measure the base commit on this host when there is none), compare like bench:compare and fail on a significant regression.",
  epilog: 'Writes DIR/compare.md (the workflow adds it to the job summary).',
};
