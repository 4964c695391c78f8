/**
 * The workload axis from the orchestrator's side: the profile keys and flag with their bad
 * input, what each workload requests and accepts, the db cells skipped with their reason where
 * PostgreSQL cannot run, and a real set of the four workloads on a Node stack and the Python
 * port (gunicorn) with a real PostgreSQL started, used and stopped, and gone after a SIGKILL of
 * the orchestrator.
 */
import assert from 'node:assert/strict';
import {
  copyFileSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { worldRandomNumber } from '@stackbench/database';
import { type SampleWindow, validateManifest } from '@stackbench/result';
import { resolveProfile } from '../src/profile/profiles.js';
import { setOverrides } from '../src/profile/set-flags.js';
import { workloadRequest, wrongRows } from '../src/session/app-expectations.js';
import { planSchedule } from '../src/set/schedule.js';
import { openSetDatabase, runnableWorkloads } from '../src/set/set-database.js';
import { killGroup, matrixBin, root, start } from './cli-run.js';
import { matrixIn, useFixture } from './matrix-fixture.js';

const stacksDir = join(root, 'stacks');

function profilesWith(body: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'stackbench-workloads-'));
  writeFileSync(
    join(dir, 'profiles.toml'),
    `default = "p"\n[p]\nworkers = 1\ncycles = [2]\nduration_s = 1\nwarmup_s = 0\ncycle_warmup_s = 0\npause_s = 0\nbacklog = 16\ntimeout = 5\nthreads = 1\nload_threads = 1\nrequest_timeout_s = 5\nsamples = 1\ninterleave = true\napp = "@stackbench/app:benchApp"\n${body}`,
  );
  return dir;
}

/** The profile `p` with `body` (and one text replaced) is refused with `message`. */
function refused(body: string, message: RegExp, replace?: [string, string]): void {
  const dir = profilesWith(body);
  try {
    if (replace) {
      const file = join(dir, 'profiles.toml');
      writeFileSync(file, readFileSync(file, 'utf8').replace(...replace));
    }
    assert.throws(() => resolveProfile(dir, 'p', 2, {}, ['x']), { message }, body);
  } finally {
    rmSync(dir, { recursive: true });
  }
}

describe('workloads in the profile', () => {
  test('listed workloads are cells; seed alone keeps the hash of the sets before workloads', () => {
    const tfb = resolveProfile(stacksDir, 'tfb', 2, {}, ['x']);
    assert.deepEqual(tfb.settings.workloads, ['plaintext', 'json', 'seed', 'db']);
    assert.deepEqual(tfb.settings.database, { poolSize: 4, queries: 1, rows: 10_000 });
    const seed = resolveProfile(stacksDir, 'local', 2, { workloads: ['seed'] }, ['x']);
    assert.equal(seed.settings.workloads, undefined);
    assert.equal(seed.settings.database, undefined);
    const json = resolveProfile(stacksDir, 'local', 2, { workloads: ['json'] }, ['x']);
    assert.notEqual(json.hash, seed.hash, 'another workload, other figures');
  });

  test('bad input names the key or flag and what is valid', () => {
    assert.throws(() => setOverrides({ workloads: 'json,xml' }), {
      message:
        /--workloads json,xml: unknown workload xml; valid workloads: seed, plaintext, json, db/,
    });
    const cases: [string, RegExp][] = [
      ['workloads = ["json", "json"]', /p\.workloads: .*names a workload twice/],
      ['db_pool = 2', /p\.db_pool: applies to the db workload: add "db" to workloads/],
      ['workloads = ["db"]\ndb_pool = 0', /p\.db_pool: .*1/],
    ];
    for (const [body, message] of cases) refused(body, message);
    refused(
      'workloads = ["json"]\n',
      /workloads json: .*routes of @stackbench\/app:benchApp.*set app = /,
      ['app = "@stackbench/app:benchApp"', 'app = "@stackbench/app:helloApp"'],
    );
  });
});

describe('a workload with its own levels', () => {
  test('workload_cycles_per_core scales with the host; the schedule plans those levels', () => {
    const tfb = resolveProfile(stacksDir, 'tfb', 2, {}, ['x']).settings;
    assert.deepEqual(tfb.cycles, [10, 40]);
    assert.deepEqual(tfb.workloadCycles, { plaintext: [40, 160] });
    assert.deepEqual(resolveProfile(stacksDir, 'tfb', 24, {}, ['x']).settings.workloadCycles, {
      plaintext: [480, 1920],
    });
    const rounds = planSchedule({
      stacks: ['a'],
      levels: tfb.cycles,
      workloads: ['plaintext', 'json'],
      workloadLevels: tfb.workloadCycles,
      samples: 1,
      interleave: true,
      seed: 7,
    });
    const levels = (w: string) =>
      rounds[0]?.windows
        .filter((x) => x.workload === w)
        .map((x) => x.level)
        .sort((a, b) => a - b);
    assert.deepEqual(levels('plaintext'), [40, 160]);
    assert.deepEqual(levels('json'), [10, 40]);
    // --cycles sets every workload's levels; --workloads without plaintext drops its entry
    assert.equal(
      resolveProfile(stacksDir, 'tfb', 2, { cycles: [3] }, ['x']).settings.workloadCycles,
      undefined,
    );
    assert.equal(
      resolveProfile(stacksDir, 'tfb', 2, { workloads: ['json'] }, ['x']).settings.workloadCycles,
      undefined,
    );
  });

  test('bad workload_cycles: the key, the name and what is valid', () => {
    const cases: [string, RegExp][] = [
      [
        'workload_cycles = { xml = [2] }',
        /p\.workload_cycles\.xml: unknown name; valid: seed, plaintext, json, db/,
      ],
      [
        'workload_cycles = { seed = [0] }',
        /p\.workload_cycles\.seed: must be a non-empty array of whole numbers ≥ 1/,
      ],
      ['workload_cycles = [2]', /p\.workload_cycles: must be a table of arrays/],
      [
        'workloads = ["seed", "json"]\nworkload_cycles = { plaintext = [4] }',
        /p\.workload_cycles\.plaintext: is not one of the profile's workloads \(seed, json\)/,
      ],
      [
        'workload_cycles = { seed = [4] }\nworkload_cycles_per_core = { seed = [2] }',
        /give one of workload_cycles and workload_cycles_per_core/,
      ],
    ];
    for (const [body, message] of cases) refused(body, message);
    refused('workload_cycles = { seed = [4] }\n', /p\.workload_cycles: applies to a closed loop/, [
      'cycles = [2]',
      'rates = [50]',
    ]);
  });
});

describe('what each workload requests and accepts', () => {
  const settings = {
    app: '@stackbench/app:benchApp',
    database: { poolSize: 2, queries: 3, rows: 10 },
  };
  test('paths and formats, both ports’ JSON spacing', () => {
    assert.equal(workloadRequest(settings, 'plaintext').path, '/plaintext');
    assert.match('{"message": "Hello, World!"}', workloadRequest(settings, 'json').expect.body);
    const db = workloadRequest(settings, 'db');
    assert.equal(db.path, '/db?queries=3');
    const rows = [1, 2, 3].map((id) => ({ id, randomNumber: worldRandomNumber(id) }));
    assert.match(JSON.stringify(rows), db.expect.body);
    assert.equal(db.expect.check?.(JSON.stringify(rows)), null);
    assert.equal(workloadRequest({ ...settings, database: undefined }, 'db').path, '/db');
  });

  test('a db row that is not the table’s is named', () => {
    const bad = JSON.stringify([{ id: 7, randomNumber: worldRandomNumber(7) + 1 }]);
    assert.match(wrongRows(bad, 1) ?? '', /row .*"id":7.*the table holds randomNumber \d+ at id 7/);
    assert.match(wrongRows('[]', 2) ?? '', /0 rows, expected 2/);
    assert.match(wrongRows('nope', 1) ?? '', /not JSON/);
  });
});

describe('the db cells where PostgreSQL cannot run', () => {
  const settings = resolveProfile(stacksDir, 'tfb', 2, {}, ['x']).settings;
  const signal = new AbortController().signal;
  test('stacks on other hosts, or PostgreSQL missing: skipped with the reason and the remedy', async () => {
    const notes: string[] = [];
    const remote = await openSetDatabase(settings, {
      stacks: 2,
      remote: true,
      signal,
      note: (l) => notes.push(l),
    });
    assert.match(remote?.record.skipped ?? '', /stacks run on other hosts \(--hosts\)/);
    assert.equal(remote?.service, null);
    const missing = await openSetDatabase(settings, {
      stacks: 2,
      remote: false,
      signal,
      note: (l) => notes.push(l),
      find: () => null,
    });
    assert.match(
      missing?.record.skipped ?? '',
      /PostgreSQL is not installed; run sudo scripts\/provision-host\.sh/,
    );
    assert.match(notes.join('\n'), /db cells skipped/);
    assert.deepEqual(runnableWorkloads(settings, missing?.record), ['plaintext', 'json', 'seed']);
    assert.deepEqual(runnableWorkloads(settings, { skipped: null }), settings.workloads);
  });
});

/**
 * Postmasters whose parent is `pid` (the orchestrator starts its database as a direct child; a
 * `postgres --version` it runs first has no `-D`).
 */
function postgresChildrenOf(pid: number): number[] {
  const found: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const [comm, rest] = [
        stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')),
        stat.slice(stat.lastIndexOf(')') + 2),
      ];
      if (!comm.startsWith('postgres') || Number(rest.split(' ')[1]) !== pid) continue;
      if (readFileSync(`/proc/${name}/cmdline`, 'utf8').split('\0').includes('-D')) {
        found.push(Number(name));
      }
    } catch {
      // gone
    }
  }
  return found;
}

describe('a set of the four workloads on a real PostgreSQL', () => {
  const fixture = useFixture();
  const withGunicorn = () => {
    const fx = fixture();
    copyFileSync(
      join(stacksDir, 'gunicorn-gevent.toml'),
      join(fx.stacksDir, 'gunicorn-gevent.toml'),
    );
    return fx;
  };

  test('every workload on Node and the Python port, the database per window, nothing left', async () => {
    const fx = withGunicorn();
    const { result, set } = await matrixIn(fx, [
      '--profile',
      'smoke-workloads',
      '--stacks',
      'prefork-rr,gunicorn-gevent',
    ]);
    assert.equal(result.code, 0, result.stderr);
    const manifest = JSON.parse(readFileSync(join(set, 'manifest.json'), 'utf8'));
    assert.deepEqual(validateManifest(manifest), []);
    assert.equal(manifest.database.skipped, null);
    assert.match(manifest.database.version, /^\d+/);
    for (const stack of ['prefork-rr', 'gunicorn-gevent']) {
      const doc = JSON.parse(readFileSync(join(set, `${stack}.json`), 'utf8'));
      const windows: SampleWindow[] = doc.runs.flatMap(
        (r: { windows: SampleWindow[] }) => r.windows,
      );
      assert.deepEqual(
        windows.map((w) => w.workload).sort(),
        ['db', 'json', 'plaintext', 'seed'],
        stack,
      );
      for (const w of windows) {
        const cycle = w.load.cycles[0];
        assert.ok(cycle && cycle.requests.succeeded > 0, `${stack} ${w.workload}: answers`);
        assert.equal(cycle?.requests.failed ?? 0, 0, `${stack} ${w.workload}: every answer right`);
        if (w.workload === 'db') {
          assert.ok(w.database && (w.database.cpuMs ?? 0) > 0, `${stack}: the database worked`);
          assert.ok(w.database.connectionsMax >= 1, `${stack}: its pool held connections`);
          // the cluster serves both stacks of the round (interleaved: both run, one is measured):
          // 2 stacks × 2 workers × pools of 2 at most
          assert.ok(
            w.database.connectionsMax <= 8,
            `${stack}: ${w.database.connectionsMax} connections`,
          );
        } else assert.equal(w.database, undefined);
      }
    }
    const report = readFileSync(join(set, 'report.md'), 'utf8');
    assert.match(report, /\*\*plaintext \(`GET \/plaintext`\), keep-alive users/);
    assert.match(report, /### db · keep-alive, 2 CUs/);
  });

  // SIGKILL: the reaper and the parent-death signal end it; Ctrl-C: the set stops it in order
  for (const signal of ['SIGKILL', 'SIGINT'] as const) {
    test(`${signal} to the orchestrator: its database is gone a moment later`, async (t) => {
      const fx = fixture();
      const running = start(matrixBin, [
        '--profile',
        'smoke-workloads',
        '--workloads',
        'db',
        '--stacks',
        'prefork-rr',
        '--samples',
        '20',
        '--stacks-dir',
        fx.stacksDir,
        '--out',
        fx.outDir,
        '--plain',
      ]);
      t.after(() => killGroup(running));
      const pid = running.child.pid as number;
      let postmasters: number[] = [];
      for (let i = 0; i < 300 && postmasters.length === 0; i++) {
        await sleep(100);
        if (running.child.exitCode !== null) break;
        postmasters = postgresChildrenOf(pid);
      }
      assert.equal(
        postmasters.length,
        1,
        `a postmaster under the orchestrator:\n${running.output()}`,
      );
      const postmaster = postmasters[0] as number;
      // its data directory, inside the run directory the set made
      const argv = readFileSync(`/proc/${postmaster}/cmdline`, 'utf8').split('\0');
      const dir = dirname(argv[argv.indexOf('-D') + 1] as string);
      assert.match(dir, /stackbench-db-/);
      if (signal === 'SIGINT') {
        // mid-set: once a window runs (a SIGKILL above lands during the database's start)
        for (let i = 0; i < 300 && !/window [1-9]/.test(running.output()); i++) await sleep(100);
      }
      process.kill(pid, signal);
      if (signal === 'SIGINT') {
        const done = await running.done;
        assert.equal(done.code, 130, done.stderr);
        assert.match(done.stderr, /interrupted; .*--resume/);
      }
      for (let i = 0; i < 100 && existsSync(`/proc/${postmaster}`); i++) await sleep(100);
      assert.equal(
        existsSync(`/proc/${postmaster}`),
        false,
        'the postmaster outlived the orchestrator',
      );
      for (let i = 0; i < 50 && existsSync(dir); i++) await sleep(100);
      assert.equal(existsSync(dir), false, `${dir} left behind`);
    });
  }
});
