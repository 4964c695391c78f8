/**
 * The profile table's entries for what a set runs and how it samples (samples, interleaving,
 * stacks, runtimes, the app, window sizing, noise bounds, adaptive rounds, the twin); see
 * profile-table.ts.
 */
import { UsageError } from '@stackbench/cli';
import { RUNTIME_NAMES } from '@stackbench/runtimes';
import { parseTwin } from '../stack/twin.js';
import { parseBudget } from './budget.js';
import { commaList, type FieldEntry, runtimesProblem } from './profile-flags.js';

export const SET_FIELDS = {
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
        also: ['auto'],
        default: true,
        doc: 'true: each round runs every stack side by side, windows in a shuffled order; false: one stack at a time; "auto": side by side when the host has the memory for all stacks at once (stacks/worker-memory.json), else one at a time; the manifest says which and why (not with budget_s, whose rounds pair stacks)',
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
} as const satisfies Record<string, FieldEntry>;
