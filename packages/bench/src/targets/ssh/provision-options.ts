/** Option table of `stackbench-provision` (nx run bench:provision). */
import type { CommandDescription, OptionTable } from '@stackbench/cli';

export const provisionOptions = {
  hosts: {
    type: 'string',
    valueName: 'FILE',
    description: 'the hosts file (TOML): [target] and [[drivers]], see "Two or more hosts"',
  },
  json: {
    type: 'boolean',
    default: false,
    description: 'one JSON line per host (name, workspace, what was done, facts)',
  },
} as const satisfies OptionTable;

export const provisionCommand: CommandDescription = {
  usage: 'stackbench-provision --hosts FILE   (or: npx nx run bench:provision --hosts=FILE)',
  summary:
    "Ship the workspace at the current commit to every host of the hosts file over ssh (git archive), run npm ci, the build and scripts/provision-host.sh there (--tune when the host asks for it), and print each host's facts. A host already at this commit is left as it is.",
  epilog:
    'Exit codes: 0 every host is ready; 2 a bad hosts file, or a host that cannot be reached or lacks something (the message says what and how to fix it).',
};
