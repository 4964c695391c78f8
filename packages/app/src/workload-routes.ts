/**
 * The workloads other than the seed's, TechEmpower-style, answered before the seed's work at
 * their own paths (any other path is the seed's): `/plaintext`, `/json`, `/db[?queries=N]`. One
 * answer for both faces of the app: the Node listener writes it, the fetch face returns it.
 */

import { type DbParams, readDbParams } from './db-params.js';
import { createDbRoute, type DbRoute, queriesOf } from './db-route.js';

export interface Answer {
  status: number;
  contentType: string;
  body: string;
}

export const plaintextBody = 'Hello, World!';

export interface WorkloadRoutes {
  /** The answer for a request target (`/db?queries=3`), or null: not a workload path. */
  answer(target: string): Answer | Promise<Answer> | null;
  /** Ends the /db pool's connections. */
  close(): Promise<void>;
}

export interface WorkloadRoutesOptions {
  /** Where PGHOST, PGPORT, PGDATABASE, PGUSER come from (default: process.env). */
  env?: NodeJS.ProcessEnv;
  /** Default: `readDbParams(env)`. */
  db?: DbParams;
  log?: (line: string) => void;
}

const json = (body: string): Answer => ({ status: 200, contentType: 'application/json', body });

export function createWorkloadRoutes(options: WorkloadRoutesOptions = {}): WorkloadRoutes {
  const env = options.env ?? process.env;
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  let db: DbRoute | undefined;
  const dbParams = options.db ?? readDbParams(env);
  return {
    answer(target) {
      const mark = target.indexOf('?');
      const path = mark < 0 ? target : target.slice(0, mark);
      switch (path) {
        case '/plaintext':
          return { status: 200, contentType: 'text/plain', body: plaintextBody };
        case '/json':
          // a fresh object serialized per request, as TFB's json test asks
          return json(JSON.stringify({ message: plaintextBody }));
        case '/db': {
          db ??= createDbRoute(dbParams, env, log);
          const count = queriesOf(mark < 0 ? '' : target.slice(mark + 1));
          return db.query(count).then((rows) => json(JSON.stringify(rows)));
        }
        default:
          return null;
      }
    },
    close: () => db?.close() ?? Promise.resolve(),
  };
}

/** The fetch face's answer. */
export function answerResponse(answer: Answer): Response {
  return new Response(answer.body, {
    status: answer.status,
    headers: { 'Content-Type': answer.contentType },
  });
}
