/**
 * The profile table's entries for the workloads: which routes a request asks for, their own
 * levels, and the db workload's database (pool, queries, rows); spread into LOAD_FIELDS where
 * they stand in the table's order; see profile-table.ts.
 */
import type { WorkloadName } from '@stackbench/result';
import {
  commaList,
  type FieldEntry,
  WORKLOAD_NAMES,
  whole,
  workloadsProblem,
} from './profile-flags.js';

export const WORKLOAD_FIELDS = {
  workloads: {
    hashed: true,
    keys: {
      workloads: {
        type: 'strings',
        check: workloadsProblem,
        defaultDoc: 'seed',
        doc: "the work each request asks of the app, each its own cells: seed (the seed's app), plaintext (a fixed short body), json (a small object serialized), db (rows read from PostgreSQL through each worker's pool)",
      },
    },
    flag: {
      name: 'workloads',
      option: {
        type: 'string',
        valueName: 'LIST',
        description:
          'workloads, comma-separated: seed, plaintext, json, db (overrides the profile)',
      },
      override: 'workloads',
      parse: (raw: string) => commaList(raw, 'workloads', workloadsProblem) as WorkloadName[],
    },
  },
  workloadCycles: {
    hashed: true,
    keys: {
      workload_cycles: {
        type: 'numbersMap',
        names: WORKLOAD_NAMES,
        what: 'whole numbers ≥ 1',
        ok: whole,
        doc: "closed loop: a workload's own CUs instead of cycles, e.g. { plaintext = [64, 256] }",
      },
      workload_cycles_per_core: {
        type: 'numbersMap',
        names: WORKLOAD_NAMES,
        what: 'whole numbers ≥ 1',
        ok: whole,
        doc: "closed loop: a workload's own CUs per core (× the host's cores)",
      },
    },
  },
  database: {
    hashed: true,
    keys: {
      db_pool: {
        type: 'number',
        integer: true,
        min: 1,
        max: 1000,
        default: 4,
        doc: "db workload: connections in each worker's pool",
      },
      db_queries: {
        type: 'number',
        integer: true,
        min: 1,
        max: 500,
        default: 1,
        doc: 'db workload: queries per request (`/db?queries=N`, one random row each)',
      },
      db_rows: {
        type: 'number',
        integer: true,
        min: 1,
        max: 1_000_000,
        default: 10_000,
        doc: 'db workload: rows of the `world` table the orchestrator creates and fills',
      },
    },
  },
} as const satisfies Record<string, FieldEntry>;
