/** Option table of `stackbench-runtimes`: one table for parsing, help and the README. */
import type { CommandDescription, OptionTable } from '@stackbench/cli';

export const runtimesOptions = {
  json: {
    type: 'boolean',
    default: false,
    description: 'print a JSON array (name, engine, binary, version, source, or problem)',
  },
  root: {
    type: 'string',
    valueName: 'DIR',
    description:
      'workspace root whose runtimes/ folder holds the pinned runtimes (default: this one)',
  },
} as const satisfies OptionTable;

export const runtimesCommand: CommandDescription = {
  usage: 'stackbench-runtimes [--json] [NAME ...]   (or: npm run runtimes:install)',
  summary:
    'Find each runtime (default: all of node, node20, node22, node24, bun, deno), run it with --version, and print its version, its binary and where it comes from.',
  epilog: 'Exit codes: 0 every runtime named is installed and runs; 1 one is missing; 2 bad input.',
};
