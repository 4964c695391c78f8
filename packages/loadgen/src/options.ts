/** The `stackbench-load` option table: parsing, `--help` and the README's table come from it. */
import type { CommandDescription, OptionTable } from '@stackbench/cli';
import { MAX_USERS } from './cycles.js';
import { ENGINE_NAMES } from './engines/engine-name.js';
import { ARRIVAL_NAMES } from './load-options.js';
import { DEFAULT_OPEN_LOOP_OPTIONS as OPEN } from './open-loop/defaults.js';
import { DEFAULT_LOAD_OPTIONS } from './run-load.js';
import { MAX_THREADS } from './validate.js';

/** The CLI's adaptive-window bounds when only `--responses-per-user` is given. */
export const ADAPTIVE_DEFAULTS = { minRequests: 0, maxDurationFactor: 10, maxWarmupS: 30 } as const;

/** Users per cycle when neither `--cycles` nor `--rate` is given. */
export const DEFAULT_CYCLES = '10';

export const loadOptionTable = {
  cycles: {
    type: 'string',
    short: 'c',
    valueName: 'N:N:…',
    description: `concurrent users of each cycle, in order (Funkload cycles), e.g. 50:100:150; ${DEFAULT_CYCLES} when neither --cycles nor --rate is given`,
  },
  rate: {
    type: 'string',
    short: 'R',
    valueName: 'R:R:…',
    description:
      'open loop instead of users: requests/s of each cycle, e.g. 100:200:400, sent at scheduled times whatever the server does (wrk2); latency from the scheduled time',
  },
  connections: {
    type: 'integer',
    valueName: 'N',
    min: 1,
    max: MAX_USERS,
    description: `with --rate: connections opened before each cycle (default ${OPEN.connections})`,
  },
  maxConnections: {
    type: 'integer',
    valueName: 'N',
    min: 1,
    max: MAX_USERS,
    description: `with --rate: the pool grows up to N connections when all are busy at a scheduled time (default ${OPEN.maxConnections}, at least --connections)`,
  },
  arrivals: {
    type: 'string',
    choices: ARRIVAL_NAMES,
    description: `with --rate: evenly spaced requests (wrk2) or a Poisson process (default ${OPEN.arrivals})`,
  },
  duration: {
    type: 'number',
    seconds: true,
    short: 'd',
    valueName: 'S',
    min: 0,
    exclusiveMin: true,
    default: DEFAULT_LOAD_OPTIONS.durationS,
    description: 'measured seconds per cycle',
  },
  warmup: {
    type: 'number',
    seconds: true,
    valueName: 'S',
    min: 0,
    default: DEFAULT_LOAD_OPTIONS.warmupS,
    description: 'seconds of uncounted load after ramp-up, before measuring',
  },
  responsesPerUser: {
    type: 'number',
    valueName: 'N',
    min: 0,
    exclusiveMin: true,
    description:
      'adaptive window (closed loop): warm up until throughput is steady, then measure at least N response times per user; --warmup and --duration become minimums',
  },
  minRequests: {
    type: 'integer',
    valueName: 'N',
    min: 0,
    description: `with --responses-per-user: measure at least N requests too, at the warm-up's throughput (default ${ADAPTIVE_DEFAULTS.minRequests})`,
  },
  maxDuration: {
    type: 'number',
    seconds: true,
    valueName: 'S',
    min: 0,
    exclusiveMin: true,
    description: `with --responses-per-user: the measured part's upper bound (default ${ADAPTIVE_DEFAULTS.maxDurationFactor} × --duration)`,
  },
  maxWarmup: {
    type: 'number',
    seconds: true,
    valueName: 'S',
    min: 0,
    exclusiveMin: true,
    description: `with --responses-per-user: the warm-up's upper bound (default ${ADAPTIVE_DEFAULTS.maxWarmupS}, at least --warmup)`,
  },
  startupDelay: {
    type: 'number',
    seconds: true,
    valueName: 'S',
    min: 0,
    default: DEFAULT_LOAD_OPTIONS.startupDelayS,
    description: 'seconds between starting two users (ramp-up)',
  },
  cyclePause: {
    type: 'number',
    seconds: true,
    valueName: 'S',
    min: 0,
    default: DEFAULT_LOAD_OPTIONS.cyclePauseS,
    description: 'idle seconds between cycles',
  },
  sleepTime: {
    type: 'number',
    seconds: true,
    valueName: 'S',
    min: 0,
    default: DEFAULT_LOAD_OPTIONS.sleepTimeS,
    description: "a user's think time between a response and its next request, seconds",
  },
  connection: {
    type: 'string',
    choices: ['keep-alive', 'close'],
    default: DEFAULT_LOAD_OPTIONS.connection,
    description: 'reuse each user connection, or open one per request',
  },
  timeout: {
    type: 'number',
    seconds: true,
    valueName: 'S',
    min: 0,
    exclusiveMin: true,
    default: DEFAULT_LOAD_OPTIONS.timeoutS,
    description: 'per-request timeout (connect + complete response), seconds',
  },
  expectStatus: {
    type: 'integer',
    valueName: 'CODE',
    min: 100,
    max: 599,
    default: DEFAULT_LOAD_OPTIONS.expectStatus,
    description: 'status code that counts as success',
  },
  expectBody: {
    type: 'string',
    valueName: 'REGEX',
    description: 'regular expression the body must also match to count as success',
  },
  threads: {
    type: 'integer',
    short: 't',
    valueName: 'N',
    min: 1,
    max: MAX_THREADS,
    default: DEFAULT_LOAD_OPTIONS.threads,
    description: 'load threads (piscina workers when > 1); users are spread over them',
  },
  engine: {
    type: 'string',
    choices: ENGINE_NAMES,
    default: DEFAULT_LOAD_OPTIONS.engine,
    description:
      'HTTP client under the users: our own loop, or autocannon 9 (no think time, ramp-up, close)',
  },
  ceiling: {
    type: 'boolean',
    description:
      "measure the driver's own ceiling instead (no URL): requests/s per thread against a null server on 127.0.0.1, closed loop, keep-alive; --connections in all (default 64 per thread), --duration (default 1.5), --warmup (default 0.5)",
  },
  output: {
    type: 'string',
    short: 'o',
    valueName: 'FILE',
    description: 'write the JSON result here (checked before the run) instead of stdout',
  },
} as const satisfies OptionTable;

export const loadCommand: CommandDescription = {
  usage: 'stackbench-load [options] URL',
  summary:
    'Funkload-style bench cycles against one HTTP URL: per cycle, ramp up, warm up, measure, ' +
    'pause; writes one JSON result document and prints the cycle table on stderr. With --rate, ' +
    'an open loop at constant rates instead of concurrent users.',
  epilog:
    'Example: stackbench-load --cycles 50:100:150:200:250:300:400 --duration 120 http://127.0.0.1:8080/\n' +
    'Open loop: stackbench-load --rate 100:200:400 --connections 50 --duration 60 http://127.0.0.1:8080/\n' +
    "The driver's ceiling: stackbench-load --ceiling --threads 2\n" +
    'Exit codes: 0 done, 2 bad input or failed preflight, 130 interrupted (partial result written).',
};
