/** Option table of `stackbench-matrix` (nx run bench:matrix): one table for parsing, help, README. */
import type { CommandDescription, OptionTable } from '@stackbench/cli';

export const matrixOptions = {
  profile: {
    type: 'string',
    valueName: 'NAME',
    description:
      'profile from stacks/profiles.toml: paper, local, pr, open, smoke or smoke-open (default: its `default`, local)',
  },
  stacks: {
    type: 'string',
    valueName: 'A,B',
    description: "run only these stacks, comma-separated (default: the profile's)",
  },
  runtimes: {
    type: 'string',
    valueName: 'R,R',
    description:
      "run each stack on each of these runtimes, comma-separated: node (the one running the matrix), node20, node22, node24, bun, deno; each pair is an entry STACK@RUNTIME (default: the profile's, else node under the stacks' own names)",
  },
  cycles: {
    type: 'string',
    valueName: 'N:N',
    description: 'concurrent users of each cycle, e.g. 2:4 or 50:100:200 (overrides the profile)',
  },
  duration: {
    type: 'number',
    seconds: true,
    min: 0,
    exclusiveMin: true,
    valueName: 'S',
    description: 'measured seconds per sample window (overrides the profile)',
  },
  workers: {
    type: 'integer',
    min: 1,
    valueName: 'N',
    description: 'worker processes per stack (overrides the profile)',
  },
  samples: {
    type: 'integer',
    min: 1,
    max: 1000,
    valueName: 'K',
    description: 'sample windows per stack × CUs cell (overrides the profile)',
  },
  connections: {
    type: 'string',
    valueName: 'MODES',
    description:
      'connection modes of the users, comma-separated: keep-alive, close (overrides the profile)',
  },
  budget: {
    type: 'string',
    valueName: 'DURATION',
    description:
      "adaptive sampling within this time for the set's rounds, e.g. 900, 15m, 1h: every cell starts with the profile's K, further rounds go to the cells whose pairs are still undecided (overrides the profile's budget_s)",
  },
  twin: {
    type: 'string',
    valueName: 'STACK[:ENV=V,…]',
    description:
      'add a copy of STACK as STACK~twin, optionally with app parameters changed (STACKBENCH_WRITES=11000: 10 % more writes); the report says whether it came out tied with STACK',
  },
  sequential: {
    type: 'boolean',
    default: false,
    description:
      'one stack at a time instead of interleaved rounds (hosts where all stacks at once do not fit)',
  },
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
