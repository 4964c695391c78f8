/**
 * Every setting of a profile (stacks/profiles.toml), one entry per field of `ProfileSettings`:
 * the TOML keys that feed it (type, bounds, default, doc), whether it enters the profile hash,
 * and the command-line flag that overrides it. Reading (profiles.ts), the overrides of the bench
 * bins (set-flags.ts, options.ts), the hash and the README's key table all come from here (the
 * derived forms: profile-keys.ts). The table is typed against `ProfileSettings`: a field without
 * an entry, or an entry without a field, does not compile. Adding a key: one entry here, plus
 * the code that uses its value.
 */
import { MAX_TIMER_SECONDS, type OptionSpec, UsageError } from '@stackbench/cli';
import { parseCycles } from '@stackbench/loadgen';
import type { ConnectionMode, ProfileSettings } from '@stackbench/result';
import { RUNTIME_NAMES } from '@stackbench/runtimes';
import { parseBudget } from '../profile/budget.js';
import { parseTwin } from '../stack/twin.js';
import type { KeyTable } from './key-reader.js';

export const CONNECTION_MODES = ['keep-alive', 'close'] as const;

/** `connections`, in the profile and as `--connections`: known modes, each once. */
export function connectionsProblem(list: readonly string[]): string | null {
  const known = list.every((m) => (CONNECTION_MODES as readonly string[]).includes(m));
  if (list.length && known && new Set(list).size === list.length) return null;
  return `give ${CONNECTION_MODES.join(' and/or ')}, each once`;
}

/** `runtimes = ["node20", "bun"]` and `--runtimes`: names from the catalog, each once. */
export function runtimesProblem(list: readonly string[]): string | null {
  const unknown = list.filter((n) => !RUNTIME_NAMES.includes(n));
  if (list.length === 0) return `give at least one runtime, from: ${RUNTIME_NAMES.join(', ')}`;
  if (unknown.length) {
    return `unknown runtime ${unknown.join(', ')}; valid runtimes: ${RUNTIME_NAMES.join(', ')}`;
  }
  if (new Set(list).size !== list.length) return 'names a runtime twice';
  return null;
}

/** A comma-separated flag value, checked like the profile key it overrides. */
function commaList(raw: string, flag: string, problemOf: (list: string[]) => string | null) {
  const list = raw.split(',').map((s) => s.trim());
  const problem = problemOf(list);
  if (problem) throw new UsageError(`--${flag} ${raw}: ${problem}`);
  return list;
}

export interface FlagSpec {
  /** The option's key in the bins' option tables (`--kebab-case` of it on the command line). */
  name: string;
  option: OptionSpec;
  /** The `Overrides` key it sets. */
  override: string;
  /** The parsed option value → the override (throws a UsageError naming the flag). */
  parse: (value: never) => unknown;
}

interface FieldEntry {
  /** In the profile hash: it changes what a window measures (not which stacks, nor how many). */
  hashed: boolean;
  keys: KeyTable;
  flag?: FlagSpec;
}

// seconds a timer will wait for: past 2^31-1 ms Node would fire at once
const timer = { max: MAX_TIMER_SECONDS } as const;
const whole = (n: number) => Number.isInteger(n) && n > 0;

export const PROFILE_TABLE = {
  description: {
    hashed: false,
    keys: { description: { type: 'string', default: '', doc: 'one paragraph for the report' } },
  },
  workers: {
    hashed: true,
    keys: {
      workers: { type: 'number', integer: true, min: 1, doc: 'worker processes of every stack' },
      workers_per_core: {
        type: 'number',
        min: 0.1,
        doc: "instead of workers: × the host's cores (rounded, at least 1)",
      },
    },
    flag: {
      name: 'workers',
      option: {
        type: 'integer',
        min: 1,
        valueName: 'N',
        description: 'worker processes per stack (overrides the profile)',
      },
      override: 'workers',
      parse: (n: number) => n,
    },
  },
  cycles: {
    hashed: true,
    keys: {
      cycles: {
        type: 'numbers',
        what: 'whole numbers ≥ 1',
        ok: whole,
        doc: 'closed loop: concurrent users (CUs) of each load cycle, in order (one load axis)',
      },
      cycles_per_core: {
        type: 'numbers',
        what: 'whole numbers ≥ 1',
        ok: whole,
        doc: "closed loop: CUs per core (× the host's cores)",
      },
    },
    flag: {
      name: 'cycles',
      option: {
        type: 'string',
        valueName: 'N:N',
        description:
          'concurrent users of each cycle, e.g. 2:4 or 50:100:200 (overrides the profile)',
      },
      override: 'cycles',
      parse: (raw: string) => {
        try {
          return parseCycles(raw.replace(/,/g, ':'));
        } catch (error) {
          throw new UsageError(`--cycles ${raw}: ${(error as Error).message}`);
        }
      },
    },
  },
  rates: {
    hashed: true,
    keys: {
      rates: {
        type: 'numbers',
        what: 'rates in requests/s (0 < rate ≤ 1000000)',
        ok: (n) => n > 0 && n <= 1_000_000,
        doc: 'open loop instead: offered requests/s of the windows',
      },
    },
  },
  ratesOfCapacity: {
    hashed: true,
    keys: {
      rates_of_capacity: {
        type: 'numbers',
        what: 'fractions of capacity (0 < f ≤ 2)',
        ok: (n) => n > 0 && n <= 2,
        doc: "open loop instead: fractions of each stack's capacity, measured every round by a closed-loop window of capacity_cus users",
      },
    },
  },
  capacityCus: {
    hashed: true,
    keys: {
      capacity_cus: {
        type: 'number',
        integer: true,
        min: 1,
        default: 10,
        doc: 'users of the capacity window (rates_of_capacity)',
      },
      capacity_cus_per_core: {
        type: 'number',
        integer: true,
        min: 1,
        doc: "instead of capacity_cus: × the host's cores",
      },
    },
  },
  openConnections: {
    hashed: true,
    keys: {
      open_connections: {
        type: 'number',
        integer: true,
        min: 1,
        default: 10,
        doc: "open loop: connections opened before each window (the pool grows when all are busy at a request's intended time)",
      },
    },
  },
  connections: {
    hashed: true,
    keys: {
      connections: {
        type: 'strings',
        check: connectionsProblem,
        defaultDoc: 'keep-alive',
        doc: 'connection modes of the users, each its own cells: keep-alive (one connection per user, kept) and/or close (a new connection per request)',
      },
    },
    flag: {
      name: 'connections',
      option: {
        type: 'string',
        valueName: 'MODES',
        description:
          'connection modes of the users, comma-separated: keep-alive, close (overrides the profile)',
      },
      override: 'connections',
      parse: (raw: string) => commaList(raw, 'connections', connectionsProblem) as ConnectionMode[],
    },
  },
  durationS: {
    hashed: true,
    keys: {
      duration_s: {
        type: 'number',
        min: 0.1,
        ...timer,
        required: true,
        doc: 'measured seconds of one sample window',
      },
    },
    flag: {
      name: 'duration',
      option: {
        type: 'number',
        seconds: true,
        min: 0,
        exclusiveMin: true,
        valueName: 'S',
        description: 'measured seconds per sample window (overrides the profile)',
      },
      override: 'durationS',
      parse: (s: number) => s,
    },
  },
  warmupS: {
    hashed: true,
    keys: {
      warmup_s: {
        type: 'number',
        min: 0,
        ...timer,
        default: 0,
        doc: "seconds of load after a stack starts, not measured (the stack's warm-up)",
      },
    },
  },
  cycleWarmupS: {
    hashed: true,
    keys: {
      cycle_warmup_s: {
        type: 'number',
        min: 0,
        ...timer,
        default: 0,
        doc: 'unmeasured seconds of load at the start of each window, on its fresh connections',
      },
    },
  },
  pauseS: {
    hashed: true,
    keys: {
      pause_s: {
        type: 'number',
        min: 0,
        ...timer,
        default: 0,
        doc: 'idle seconds between windows',
      },
    },
  },
  backlog: {
    hashed: true,
    keys: {
      backlog: { type: 'number', integer: true, min: 1, default: 2048, doc: 'listen backlog' },
    },
  },
  timeout: {
    hashed: true,
    keys: {
      timeout: {
        type: 'number',
        integer: true,
        min: 1,
        ...timer,
        default: 120,
        doc: 'worker timeout, seconds (prefork `-t`)',
      },
    },
  },
  threads: {
    hashed: true,
    keys: {
      threads: {
        type: 'number',
        integer: true,
        min: 1,
        default: 2,
        doc: 'handler threads per adapter (threads backend)',
      },
    },
  },
  loadThreads: {
    hashed: true,
    keys: {
      load_threads: {
        type: 'number',
        integer: true,
        min: 1,
        default: 1,
        doc: 'threads of the load driver',
      },
    },
  },
  requestTimeoutS: {
    hashed: true,
    keys: {
      request_timeout_s: {
        type: 'number',
        min: 0.1,
        ...timer,
        default: 30,
        doc: 'per-request timeout of the load driver, seconds',
      },
    },
  },
  samples: {
    hashed: false,
    keys: {
      samples: {
        type: 'number',
        integer: true,
        min: 1,
        default: 1,
        doc: 'K: sample windows per (stack, level) cell',
      },
    },
    flag: {
      name: 'samples',
      option: {
        type: 'integer',
        min: 1,
        max: 1000,
        valueName: 'K',
        description: 'sample windows per stack × CUs cell (overrides the profile)',
      },
      override: 'samples',
      parse: (k: number) => k,
    },
  },
  interleave: {
    hashed: true,
    keys: {
      interleave: {
        type: 'boolean',
        default: true,
        doc: 'true: each round runs every stack side by side, windows in a shuffled order; false: one stack at a time',
      },
    },
    flag: {
      name: 'sequential',
      option: {
        type: 'boolean',
        default: false,
        description:
          'one stack at a time instead of interleaved rounds (hosts where all stacks at once do not fit)',
      },
      override: 'interleave',
      parse: (on: boolean) => !on,
    },
  },
  stacks: {
    hashed: false,
    keys: {
      stacks: { type: 'strings', defaultDoc: 'every stacks/*.toml', doc: 'stack names' },
    },
    flag: {
      name: 'stacks',
      option: {
        type: 'string',
        valueName: 'A,B',
        description: "run only these stacks, comma-separated (default: the profile's)",
      },
      override: 'stacks',
      parse: (raw: string) => {
        const names = raw
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean);
        if (names.length === 0) throw new UsageError('--stacks: give at least one stack name');
        return names;
      },
    },
  },
  runtimes: {
    hashed: false,
    keys: {
      runtimes: {
        type: 'strings',
        check: runtimesProblem,
        defaultDoc: 'the Node running the matrix',
        doc: `run each stack on each of these runtimes (${RUNTIME_NAMES.join(', ')}), each pair an entry STACK@RUNTIME`,
      },
    },
    flag: {
      name: 'runtimes',
      option: {
        type: 'string',
        valueName: 'R,R',
        description: `run each stack on each of these runtimes, comma-separated: ${RUNTIME_NAMES.join(', ')} (node: the one running the matrix); each pair is an entry STACK@RUNTIME (default: the profile's, else node under the stacks' own names)`,
      },
      override: 'runtimes',
      parse: (raw: string) => commaList(raw, 'runtimes', runtimesProblem),
    },
  },
  app: {
    hashed: true,
    keys: {
      app: {
        type: 'string',
        default: '@stackbench/app:benchApp',
        doc: 'the benched app, MODULE:EXPORT',
      },
    },
  },
  appEnv: {
    hashed: true,
    keys: {
      app_env: {
        type: 'map',
        doc: "the app's STACKBENCH_* parameters (`[NAME.app_env]`), given to every stack",
      },
    },
  },
  windowSizing: {
    hashed: true,
    keys: {
      responses_per_user: {
        type: 'number',
        min: 1,
        max: 10_000,
        doc: "closed loop: size each window by the cell's response time, at least this many responses per user (cycle_warmup_s and duration_s become the shortest warm-up and measured part)",
      },
      min_requests: {
        type: 'number',
        integer: true,
        min: 1,
        default: 100,
        doc: 'with responses_per_user: the fewest requests of a window',
      },
      max_duration_s: {
        type: 'number',
        max: 3600,
        defaultDoc: '10 × duration_s',
        doc: 'with responses_per_user: the longest measured part (at least duration_s)',
      },
      max_warmup_s: {
        type: 'number',
        max: 3600,
        defaultDoc: 'the larger of 5 and cycle_warmup_s',
        doc: 'with responses_per_user: the longest warm-up, until throughput is steady (at least cycle_warmup_s)',
      },
    },
  },
  disturbance: {
    hashed: true,
    keys: {
      disturbed_steal_pct: {
        type: 'number',
        min: 0,
        max: 100,
        default: 5,
        doc: "a window is disturbed when the hypervisor stole more than this share of the host's CPU, %",
      },
      disturbed_foreign_pct: {
        type: 'number',
        min: 0,
        max: 100,
        default: 15,
        doc: '… or processes that are neither the stack nor the driver used more than this share, %',
      },
      rerun_disturbed: {
        type: 'boolean',
        default: false,
        doc: 're-run a disturbed window once (both are kept)',
      },
    },
  },
  adaptive: {
    hashed: false,
    keys: {
      budget_s: {
        type: 'number',
        min: 1,
        max: 7 * 24 * 3600,
        doc: 'adaptive sampling: every cell starts with `samples` windows, then rounds go to the cells whose stack pairs are undecided, within this many seconds',
      },
      target_resolution_pct: {
        type: 'number',
        min: 0.1,
        max: 100,
        default: 5,
        doc: 'with budget_s: a cell stops once each pair is decided or its interval is this narrow, % of RPS',
      },
      max_samples: {
        type: 'number',
        integer: true,
        max: 1000,
        defaultDoc: '4 × samples',
        doc: 'with budget_s: the most windows a cell gets (at least samples)',
      },
    },
    flag: {
      name: 'budget',
      option: {
        type: 'string',
        valueName: 'DURATION',
        description:
          "adaptive sampling within this time for the set's rounds, e.g. 900, 15m, 1h: every cell starts with the profile's K, further rounds go to the cells whose pairs are still undecided (overrides the profile's budget_s)",
      },
      override: 'budgetS',
      parse: (raw: string) => parseBudget(raw),
    },
  },
  twin: {
    hashed: false,
    keys: {},
    flag: {
      name: 'twin',
      option: {
        type: 'string',
        valueName: 'STACK[:ENV=V,…]',
        description:
          'add a copy of STACK as STACK~twin, optionally with app parameters changed (STACKBENCH_WRITES=11000: 10 % more writes); the report says whether it came out tied with STACK',
      },
      override: 'twin',
      parse: (raw: string) => parseTwin(raw),
    },
  },
} as const satisfies {
  [F in keyof Required<ProfileSettings> | 'description']: FieldEntry;
};
