/** Option tables of the two CLIs: parsing, --help and the README sections all come from these. */
import type { CommandDescription, OptionTable } from '@stackbench/cli';
import { COMMANDS } from './commands/index.js';

export const supervisorOptions = {
  check: {
    type: 'boolean',
    default: false,
    description: 'validate CONFIG (every problem at once) and exit without starting anything',
  },
  quiet: {
    type: 'boolean',
    default: false,
    description: 'do not log events to stdout',
  },
} as const satisfies OptionTable;

export const supervisorCommand: CommandDescription = {
  usage: 'stackbench-supervisor [options] CONFIG.ini',
  summary:
    'Binds the [socket:*] sections, runs the [watcher:*] process pools on them and serves the control endpoint (see stackbench-ctl).',
  epilog:
    'Signals: TERM/INT stop every watcher gracefully and exit; HUP reloads every active watcher (rolling).',
};

export const ctlOptions = {
  endpoint: {
    type: 'string',
    env: 'STACKBENCH_ENDPOINT',
    valueName: 'PATH|tcp://127.0.0.1:PORT',
    description: "the supervisor's control endpoint (default: the one in --config)",
  },
  config: {
    type: 'string',
    valueName: 'CONFIG.ini',
    description: 'read the endpoint and token file from this supervisor config',
  },
  tokenFile: {
    type: 'string',
    valueName: 'FILE',
    description: 'token for a TCP endpoint (default: the token_file of --config)',
  },
  json: {
    type: 'boolean',
    default: false,
    description: 'print the JSON result instead of a table',
  },
  timeout: {
    type: 'number',
    default: 120,
    min: 0,
    exclusiveMin: true,
    seconds: true,
    valueName: 'SECONDS',
    description: 'give up waiting for an answer after this long (not for events)',
  },
} as const satisfies OptionTable;

export const ctlCommand: CommandDescription = {
  usage: 'stackbench-ctl [--endpoint PATH] [--json] COMMAND [WATCHER] [N]',
  summary: 'Controls a running stackbench-supervisor, e.g. `stackbench-ctl incr web 2`.',
  epilog: [
    'Commands:',
    ...Object.values(COMMANDS).map((c) => `  ${c.usage.padEnd(30)}${c.summary}`),
    `  ${'dashboard'.padEnd(30)}print the web dashboard's URL with the token (src/dashboard)`,
  ].join('\n'),
};
