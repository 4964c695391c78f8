/**
 * Workloads as a cell dimension in the report: cells, pairs and the summary are per workload (a
 * stack can lead one and trail another), charts come per workload, compare matches cells by
 * workload, and a db workload's database is shown (or why its cells were skipped).
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import type { SetDatabase, WorkloadName } from '@stackbench/result';
import {
  buildReport,
  CAPACITY_LABEL,
  compareSets,
  formatComparison,
  levelPairs,
  readResultSet,
  stackCells,
} from '../src/index.js';
import { type WindowSpec, writeSyntheticSet } from './fixtures/synthetic-set.js';

const scratch = mkdtempSync(join(tmpdir(), 'stackbench-workloads-report-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

const DRIFT = [1.0, 0.9, 1.08, 0.95, 1.04, 0.92, 1.1, 0.97];

/** Eight rounds of one cell: RPS × the round's drift, a db cell with database readings. */
function cell(workload: WorkloadName, rps: number, dbCpuMs?: number): WindowSpec[] {
  return DRIFT.map((f) => ({
    users: 10,
    rps: rps * f,
    med: 50 / f,
    p95: 80 / f,
    workload,
    cpuMsPerRequest: 2,
    ...(dbCpuMs === undefined
      ? {}
      : { database: { cpuMs: dbCpuMs, cpuPct: 20, connections: 7.5, connectionsMax: 8 } }),
  }));
}

const RAN: SetDatabase = {
  engine: 'postgresql',
  version: '15.18',
  where: 'a private cluster on this host, started and stopped with the set',
  skipped: null,
  rows: 10000,
  poolSize: 4,
  queries: 1,
  maxConnections: 26,
};

/** a leads plaintext by 20 %, b leads db by 20 %. */
function twoWorkloads(name: string, bScale = 1) {
  return writeSyntheticSet({
    dir: join(scratch, name),
    stacks: {
      a: [...cell('plaintext', 1200), ...cell('db', 500, 3000)],
      b: [...cell('plaintext', 1000 * bScale), ...cell('db', 600 * bScale, 3000)],
    },
    database: RAN,
  });
}

describe('a set of two workloads', () => {
  const dir = twoWorkloads('two');

  test('cells and pairs are per workload: each stack leads one', () => {
    const set = readResultSet(dir);
    const cells = set.stacks.flatMap(stackCells);
    assert.deepEqual(
      cells.map((c) => `${c.stack} ${c.workload} ${c.level} n=${c.windows}`).sort(),
      ['a db 10 n=8', 'a plaintext 10 n=8', 'b db 10 n=8', 'b plaintext 10 n=8'],
    );
    const levels = levelPairs(set.stacks, cells);
    const leader = (w: WorkloadName) =>
      levels.find((l) => l.workload === w)?.lead.ranked.find((r) => r.rank === 1 && !r.tied)?.cell
        .stack;
    assert.equal(leader('plaintext'), 'a');
    assert.equal(leader('db'), 'b');
  });

  test('the report: a summary block, a ranking and charts per workload; the database section', async () => {
    const built = await buildReport(dir);
    const report = readFileSync(built.reportPath, 'utf8');
    const summary = report.slice(
      report.indexOf('## Summary'),
      report.indexOf('## What was measured'),
    );
    assert.match(
      summary,
      /\*\*plaintext \(`GET \/plaintext`\), keep-alive users[^\n]*\n\n- 10 CUs: 1 a /,
    );
    assert.match(
      summary,
      /\*\*db \(`GET \/db`: rows read from PostgreSQL\), keep-alive users[^\n]*\n\n- 10 CUs: 1 b /,
    );
    assert.match(report, /### plaintext · keep-alive, 10 CUs/);
    assert.match(report, /### db · keep-alive, 10 CUs/);
    assert.match(report, /\| workloads \| plaintext, db \|/);
    for (const name of ['rps-plaintext', 'rps-db']) {
      assert.ok(existsSync(join(dir, 'charts', `${name}.svg`)), name);
      // the seed app's service time bounds no other workload: no capacity line
      const spec = readFileSync(join(dir, 'charts', `${name}.vl.json`), 'utf8');
      assert.ok(!spec.includes(CAPACITY_LABEL), `${name}: ${CAPACITY_LABEL}`);
    }
    const db = report.slice(report.indexOf('## The database'));
    assert.match(db, /PostgreSQL 15\.18, a private cluster on this host/);
    // 3000 ms of database CPU over 500 × drift × 10 s of requests: 0.6 ms at drift 1
    assert.match(
      db,
      /\| a \| 10 CUs \| 0\.6\d\d \[0\.5\d\d, 0\.6\d\d\] n=8 \| 2\.000 \[2\.000, 2\.000\] n=8 \|/,
    );
    assert.match(db, /7\.5 \[7\.5, 7\.5\] n=8 \(max 8\)/);
  });

  test('compare matches cells by workload', () => {
    const head = readResultSet(twoWorkloads('head', 1.3));
    const c = compareSets(readResultSet(dir), head);
    const rps = (stack: string, workload: WorkloadName) =>
      c.cells
        .find((x) => x.stack === stack && x.workload === workload)
        ?.metrics.find((m) => m.metric === 'rps');
    assert.equal(c.cells.length, 4);
    assert.equal(rps('b', 'plaintext')?.verdict, 'better');
    assert.equal(rps('b', 'db')?.verdict, 'better');
    assert.equal(rps('a', 'db')?.verdict, '~');
    assert.match(formatComparison(readResultSet(dir), head, c), /\| b · plaintext \| 10 \|/);
  });
});

test('db cells skipped: the summary and the database section say why', async () => {
  const dir = writeSyntheticSet({
    dir: join(scratch, 'skipped'),
    stacks: { a: cell('plaintext', 1000), b: cell('plaintext', 900) },
    settings: { workloads: ['plaintext', 'db'] },
    database: {
      ...RAN,
      version: null,
      skipped: 'PostgreSQL is not installed; run sudo scripts/provision-host.sh',
    },
  });
  const report = readFileSync((await buildReport(dir)).reportPath, 'utf8');
  assert.match(
    report,
    /- db cells skipped: PostgreSQL is not installed; run sudo scripts\/provision-host\.sh\./,
  );
  assert.match(report, /## The database\n\nThe db cells were skipped: PostgreSQL is not installed/);
});
