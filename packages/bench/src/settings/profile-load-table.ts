/**
 * The profile table's entries for the stacks' shape, the load and a window's timing (workers,
 * the load axis, connection modes, durations, timeouts; the workloads' entries come from
 * profile-workload-table.ts, in their place); see profile-table.ts.
 */
import { UsageError } from '@stackbench/cli';
import { parseCycles } from '@stackbench/loadgen';
import type { ConnectionMode } from '@stackbench/result';
import { commaList, connectionsProblem, type FieldEntry, timer, whole } from './profile-flags.js';
import { WORKLOAD_FIELDS } from './profile-workload-table.js';

export const LOAD_FIELDS = {
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
  ...WORKLOAD_FIELDS,
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
        doc: "seconds of load after a stack starts, not measured (the stack's warm-up; with warmup_requests_per_worker: the length of its slices)",
      },
    },
  },
  warmupRequestsPerWorker: {
    hashed: true,
    keys: {
      warmup_requests_per_worker: {
        type: 'number',
        integer: true,
        min: 1,
        doc: "the stack's warm-up covers every workload × connection mode, at its highest level, in slices of warmup_s, until each mode has served this many requests per worker and a slice's throughput no longer climbs above the best before it (at most 12 slices each); absent: warmup_s at the first level only",
      },
    },
    flag: {
      name: 'warmupRequests',
      option: {
        type: 'integer',
        min: 1,
        valueName: 'N',
        description:
          "warm each stack on every workload and connection mode until each mode has served N requests per worker and its throughput stopped climbing (a fresh stack's compiler; overrides the profile)",
      },
      override: 'warmupRequestsPerWorker',
      parse: (n: number) => n,
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
} as const satisfies Record<string, FieldEntry>;
