/**
 * The one table of `stackbench-prefork` options (Gunicorn's `config.py` idea): parsing, validation,
 * `--help` and the README's option list all come from it. Names, meanings and defaults are
 * Gunicorn's where Gunicorn has the setting; times are in seconds, as in Gunicorn.
 */
import { backendNames } from '@stackbench/adapter';
import type { CommandDescription, OptionTable } from '@stackbench/cli';

/** Most workers one master runs (-w, TTIN). */
export const MAX_WORKERS = 1024;

export const scheduleNames = ['rr', 'none'] as const;
export type ScheduleName = (typeof scheduleNames)[number];

export const preforkOptions = {
  workers: {
    type: 'integer',
    short: 'w',
    min: 1,
    max: MAX_WORKERS,
    default: 1,
    env: 'WEB_CONCURRENCY',
    valueName: 'N',
    description: 'number of worker processes',
  },
  timeout: {
    type: 'number',
    seconds: true,
    short: 't',
    min: 0,
    default: 30,
    valueName: 'S',
    description:
      'a worker whose event loop sends no heartbeat for more than S seconds is killed and replaced (WORKER TIMEOUT); 0 disables',
  },
  bind: {
    type: 'string',
    short: 'b',
    default: '127.0.0.1:8000',
    valueName: 'HOST:PORT',
    description: 'address to listen on; port 0 picks a free port (logged in "Listening at")',
  },
  backlog: {
    type: 'integer',
    min: 1,
    default: 2048,
    valueName: 'N',
    description:
      'listen backlog of the socket, in both schedules (Linux caps it at net.core.somaxconn)',
  },
  workerClass: {
    type: 'string',
    short: 'k',
    choices: backendNames,
    default: 'node',
    description:
      'the adapter backend each worker runs: node (node:http) or threads (handlers on a piscina pool)',
  },
  threads: {
    type: 'integer',
    min: 1,
    valueName: 'N',
    description: "pool size of the threads backend (default: the adapter's)",
  },
  schedule: {
    type: 'string',
    choices: scheduleNames,
    default: 'rr',
    description:
      'rr: the master accepts and hands connections to workers round-robin (Node default on Linux); none: workers accept on the shared socket',
  },
  gracefulTimeout: {
    type: 'number',
    seconds: true,
    min: 0,
    default: 30,
    valueName: 'S',
    description:
      'on TERM, HUP, TTOU and max-requests, seconds a worker may finish its requests before it is killed',
  },
  keepAlive: {
    type: 'number',
    seconds: true,
    min: 0,
    exclusiveMin: true,
    default: 2,
    valueName: 'S',
    description:
      'seconds an idle keep-alive connection stays open (> 0: node:http reads 0 as never time out)',
  },
  maxRequests: {
    type: 'integer',
    min: 0,
    default: 0,
    valueName: 'N',
    description:
      'replace a worker after about N requests (checked on its stats, so it may serve up to one report interval more); 0 disables',
  },
  maxRequestsJitter: {
    type: 'integer',
    min: 0,
    default: 0,
    valueName: 'J',
    description:
      "add a random 0..J to each worker's --max-requests so workers do not all restart at once",
  },
  chdir: {
    type: 'string',
    valueName: 'DIR',
    description: 'directory APP is resolved from (default: the current directory)',
  },
  pid: {
    type: 'string',
    valueName: 'FILE',
    description: "write the master's pid to FILE; removed on exit",
  },
  logFile: {
    type: 'string',
    default: '-',
    valueName: 'FILE',
    description: "the master's log; - is stderr; reopened on USR1",
  },
} as const satisfies OptionTable;

export const preforkCommand: CommandDescription = {
  usage:
    'stackbench-prefork [-w N] [-t S] [-b HOST:PORT] [--backlog N] [-k node|threads] [options] APP',
  summary:
    'A Gunicorn-like pre-fork master on node:cluster: forks -w workers that each serve APP (MODULE:EXPORT) through the adapter.',
  epilog: [
    'Signals (to the master): TTIN/TTOU add/remove a worker; HUP reloads (new workers first, then the',
    'old ones retire); TERM graceful stop within --graceful-timeout; INT/QUIT fast stop; USR1 reopens',
    'the log file; USR2 logs a one-line summary of worker stats.',
    'Exit codes: 0 stopped, 1 cannot bind, 2 bad input, 3 worker failed to boot, 4 app failed to load.',
  ].join('\n'),
};
