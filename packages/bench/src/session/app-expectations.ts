/**
 * What each workload asks of the app and what a correct answer looks like, for readiness,
 * verification and the load driver's success rule. The seed's workload is the profile's app at
 * `/` (any other app only has to answer 200 there); plaintext, json and db are routes of the
 * suite's app in both its ports (packages/app: TechEmpower's test types). A db answer is checked
 * row by row against the table the orchestrator filled.
 */
import { worldRandomNumber } from '@stackbench/database';
import { workloadsOf } from '@stackbench/report';
import type { ProfileSettings, WorkloadName } from '@stackbench/result';
import { WORKLOAD_APP } from '../settings/profile-flags.js';
import type { Expectation } from './readiness.js';

const KNOWN: Record<string, Expectation> = {
  [WORKLOAD_APP]: { status: 200, contentType: 'text/plain', body: /^\d+\.\d{4}$/ },
  '@stackbench/app:helloApp': { status: 200, contentType: 'text/plain', body: /^Hello, World!$/ },
};

/** The answer of the profile's app at `/`: the seed's workload, and the readiness check's. */
export function expectationFor(app: string): Expectation {
  return KNOWN[app] ?? { status: 200, contentType: '', body: /[\s\S]*/ };
}

// a row as either port serializes it (Python's json puts a space after ':' and ',')
const ROW = String.raw`\{\s*"id"\s*:\s*\d+\s*,\s*"randomNumber"\s*:\s*\d+\s*\}`;

/** Every row of a db answer holds what the table was filled with; null when all do. */
export function wrongRows(body: string, queries: number): string | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return 'the body is not JSON';
  }
  const rows = queries === 1 && !Array.isArray(parsed) ? [parsed] : parsed;
  if (!Array.isArray(rows)) return 'expected an array of rows';
  if (rows.length !== queries) return `${rows.length} rows, expected ${queries}`;
  for (const row of rows as { id?: unknown; randomNumber?: unknown }[]) {
    if (typeof row?.id !== 'number') return `row ${JSON.stringify(row)} has no numeric id`;
    const want = worldRandomNumber(row.id);
    if (row.randomNumber !== want) {
      return `row ${JSON.stringify(row)}: the table holds randomNumber ${want} at id ${row.id}`;
    }
  }
  return null;
}

export interface WorkloadRequest {
  /** Path and query the load driver and the verification request. */
  path: string;
  expect: Expectation;
}

/** What a window of `workload` requests, and the answer it must get. */
export function workloadRequest(
  settings: Pick<ProfileSettings, 'app' | 'database'>,
  workload: WorkloadName,
): WorkloadRequest {
  switch (workload) {
    case 'seed':
      return { path: '/', expect: expectationFor(settings.app) };
    case 'plaintext':
      return {
        path: '/plaintext',
        expect: { status: 200, contentType: 'text/plain', body: /^Hello, World!$/ },
      };
    case 'json':
      return {
        path: '/json',
        expect: {
          status: 200,
          contentType: 'application/json',
          body: /^\{\s*"message"\s*:\s*"Hello, World!"\s*\}$/,
        },
      };
    case 'db': {
      const queries = settings.database?.queries ?? 1;
      return {
        path: queries === 1 ? '/db' : `/db?queries=${queries}`,
        expect: {
          status: 200,
          contentType: 'application/json',
          body: queries === 1 ? new RegExp(`^${ROW}$`) : new RegExp(`^\\[(${ROW},?\\s*)+\\]$`),
          check: (body) => wrongRows(body, queries),
        },
      };
    }
  }
}

/** Warm-ups and capacity windows load the set's first workload. */
export const firstWorkload = (settings: ProfileSettings): WorkloadName =>
  workloadsOf(settings)[0] ?? 'seed';
