/** Option table of `stackbench-matrix` (nx run bench:matrix): one table for parsing, help, README. */
import type { CommandDescription, OptionTable } from '@stackbench/cli';

export const matrixOptions = {
  profile: {
    type: 'string',
    valueName: 'NAME',
    description:
      'profile from stacks/profiles.toml: paper, local or smoke (default: its `default`, local)',
  },
  stacks: {
    type: 'string',
    valueName: 'A,B',
    description: "run only these stacks, comma-separated (default: the profile's)",
  },
  cycles: {
    type: 'string',
    valueName: 'N:N',
    description: 'concurrent users of each cycle, e.g. 2:4 or 50:100:200 (overrides the profile)',
  },
  duration: {
    type: 'number',
    min: 0,
    exclusiveMin: true,
    valueName: 'S',
    description: 'measured seconds per cycle (overrides the profile)',
  },
  workers: {
    type: 'integer',
    min: 1,
    valueName: 'N',
    description: 'worker processes per stack (overrides the profile)',
  },
  repeat: {
    type: 'integer',
    min: 1,
    valueName: 'N',
    description: 'run the stacks N times, in alternating order',
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
    description: 'port the stacks listen on (0: a free port per run)',
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
    'Run the benchmark matrix: each stack of the profile in turn, loaded cycle by cycle, into a result set results/<host>/<UTC timestamp>-<profile>/ with report.md and charts/.',
  epilog:
    'Exit codes: 0 all stacks ran (or were skipped for a missing requirement); 1 a stack failed; 2 bad input; 130 interrupted (finished stacks are kept; --resume SET completes the set).',
};
