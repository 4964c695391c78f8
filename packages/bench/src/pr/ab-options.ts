/** Option table of `stackbench-ab` (npm run bench:ab, nx run bench:ab): base and head in one set. */
import type { CommandDescription, OptionTable } from '@stackbench/cli';
import { profileFlagOptions } from '../settings/profile-keys.js';

export const abOptions = {
  base: {
    type: 'string',
    valueName: 'REF',
    description: 'the base: a branch, tag or commit, built in a git worktree of its own (required)',
  },
  head: {
    type: 'string',
    valueName: 'REF',
    description:
      'the head: a branch, tag or commit, built in a worktree too (default: this checkout as it is, changes included)',
  },
  headEnv: {
    type: 'string',
    valueName: 'ENV=V,...',
    description:
      "the app's parameters on the head side only, e.g. STACKBENCH_WRITES=11000 (a known change, to see that the verdict finds it)",
  },
  profile: {
    type: 'string',
    default: 'pr',
    valueName: 'NAME',
    description: 'profile from stacks/profiles.toml at the head (an interleaved one)',
  },
  // profile overrides (settings/profile-table.ts), described for an A/B set
  stacks: {
    ...profileFlagOptions.stacks,
    description: "measure only these stacks, comma-separated (default: the profile's)",
  },
  budget: {
    ...profileFlagOptions.budget,
    description:
      "adaptive rounds within this time, e.g. 300, 5m (overrides the profile's budget_s): after the first K rounds, rounds go to the stacks whose base/head pair is still undecided",
  },
  samples: {
    ...profileFlagOptions.samples,
    min: 2,
    description: "rounds every stack gets before adaptive ones (overrides the profile's samples)",
  },
  failOnRegression: {
    type: 'number',
    min: 0,
    valueName: 'PCT',
    description:
      'exit 1 when a comparison is worse beyond PCT percent over its whole interval (RPS lower, p95 or CPU per request higher)',
  },
  work: {
    type: 'string',
    default: '.ab-bench',
    valueName: 'DIR',
    description: 'where the worktrees (removed after), the set and compare.md go',
  },
  baseTree: {
    type: 'string',
    valueName: 'DIR',
    description:
      'a worktree of the base already built (by an earlier run with --keep-tree): used as it is and kept',
  },
  keepTree: {
    type: 'boolean',
    description: 'keep the base worktree after the run (for repeated runs with --base-tree)',
  },
  seed: {
    type: 'integer',
    min: 0,
    valueName: 'N',
    description: 'seed of the window order (default: a new one, recorded in the manifest)',
  },
  repo: {
    type: 'string',
    valueName: 'DIR',
    description: 'git repository holding the refs (default: this workspace)',
  },
  plain: {
    type: 'boolean',
    description: 'progress as plain lines, not a redrawn line (CI logs)',
  },
} as const satisfies OptionTable;

export const abCommand: CommandDescription = {
  usage: 'stackbench-ab --base REF [--head REF] [options]',
  summary:
    "A/B in one set: builds the base commit in a git worktree and measures every chosen stack twice, STACK@base and STACK@head, in the same rounds (base and head of a cell back to back, their order alternating), then gives the verdict per stack and cell: head/base of RPS, p95 and CPU per request with intervals from the per-round pairs, '~' where the interval includes 1, and the resolution.",
  epilog:
    'Prints the set directory; writes DIR/compare.md (the verdict). Exit 1: a regression beyond --fail-on-regression; 2: bad input or a step that failed; 130: interrupted.',
};
