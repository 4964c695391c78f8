/** Option table of `stackbench-matrix` (nx run bench:matrix): one table for parsing, help, README. */
import type { CommandDescription, OptionTable } from '@stackbench/cli';
import { profileFlagOptions } from './settings/profile-keys.js';

export const matrixOptions = {
  profile: {
    type: 'string',
    valueName: 'NAME',
    description:
      'profile from stacks/profiles.toml (its names are listed below; default: its `default`)',
  },
  // the profile's overrides: settings/profile-table.ts
  ...profileFlagOptions,
  seed: {
    type: 'integer',
    min: 0,
    max: 2147483647,
    valueName: 'N',
    description:
      'seed of the shuffled window order (default: a random one, recorded in the manifest)',
  },
  out: {
    type: 'string',
    default: 'results',
    valueName: 'DIR',
    description: 'where result sets go: DIR/HOST/SET-ID/',
  },
  resume: {
    type: 'string',
    valueName: 'SET',
    description: 'complete an interrupted result set directory',
  },
  port: {
    type: 'integer',
    default: 0,
    min: 0,
    max: 65535,
    valueName: 'PORT',
    description:
      'port the stack listens on (0: a free port per stack and round; another needs one stack or --sequential)',
  },
  hosts: {
    type: 'string',
    valueName: 'FILE',
    description:
      'stacks on a remote target, load from driver hosts, over ssh (TOML hosts file; see "Two or more hosts")',
  },
  stacksDir: {
    type: 'string',
    default: 'stacks',
    valueName: 'DIR',
    description: 'directory of stack definitions and profiles.toml',
  },
  plain: {
    type: 'boolean',
    default: false,
    description: 'plain progress lines even on a terminal',
  },
} as const satisfies OptionTable;

export const matrixCommand: CommandDescription = {
  usage: 'stackbench-matrix [options]   (or: npx nx run bench:matrix [--profile=NAME] ...)',
  summary:
    'Run the benchmark matrix: every stack × CUs cell of the profile measured in K sample windows, interleaved across the stacks in a shuffled order, into a result set results/<host>/<UTC timestamp>-<profile>/ with report.md and charts/.',
  epilog:
    'Exit codes: 0 all stacks ran (or were skipped for a missing requirement); 1 a stack failed; 2 bad input; 130 interrupted (finished rounds are kept; --resume SET completes the set).',
};
