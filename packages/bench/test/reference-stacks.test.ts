/**
 * The reference stacks end to end with the smoke profile: gunicorn-gevent (the seed's own
 * baseline) and nginx-prefork-rr (nginx in front of a Node stack) verified, loaded, sampled with
 * all their processes, stopped with nothing left (checked by pid and process group) and their
 * ports free; a host without gunicorn skips the gunicorn stacks with the reason recorded.
 * Skipped, saying why, where nginx or gunicorn with gevent are not installed (CI installs them).
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { canListen } from '@stackbench/host-probe';
import { validateStackResult } from '@stackbench/report';
import { type StackRun, validateManifest } from '@stackbench/result';
import { missingRequirement, onPath } from '../src/stack/requirements.js';
import { loadStacks } from '../src/stack/stack-def.js';
import { renderConfig } from '../src/stack/template.js';
import { root } from './cli-run.js';
import { pathWithout } from './fixtures/reference-path.js';
import { matrix } from './fixtures/reference-run.js';
import { connectionsTo, leftovers, type SeenProcess } from './fixtures/reference-watch.js';

const stacksDir = join(root, 'stacks');
const readJson = (path: string) => JSON.parse(readFileSync(path, 'utf8'));

function hasGevent(): boolean {
  try {
    execFileSync('/usr/bin/python3', ['-c', 'import gevent'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
const noNginx = onPath('nginx') ? false : 'nginx is not installed (scripts/provision-host.sh)';
const noGunicorn =
  onPath('gunicorn') && hasGevent()
    ? false
    : 'gunicorn with gevent (/usr/bin/python3) is not installed (scripts/provision-host.sh)';

const portIn = (text: string, pattern: RegExp) => Number(text.match(pattern)?.[1] ?? 0);

describe('reference stacks', () => {
  let scratch = '';
  before(() => {
    scratch = mkdtempSync(join(tmpdir(), 'stackbench-reference-test-'));
  });
  after(() => rmSync(scratch, { recursive: true, force: true }));

  test('stack files: reference flags, requirements checked with /usr/bin/python3', () => {
    const stacks = loadStacks(stacksDir, [
      'gunicorn-gevent',
      'nginx-gunicorn-gevent',
      'nginx-prefork-rr',
      'nginx-supervisor-node',
    ]);
    assert.deepEqual(
      stacks.map((s) => [s.name, s.reference]),
      [
        ['gunicorn-gevent', true],
        ['nginx-gunicorn-gevent', true],
        ['nginx-prefork-rr', false],
        ['nginx-supervisor-node', false],
      ],
    );
    for (const s of stacks.filter((x) => x.name.includes('gunicorn'))) {
      assert.equal(s.requires.python, '/usr/bin/python3');
      assert.deepEqual(s.requires.pythonModules, ['gevent']);
    }
    // nginx in front: the upstream starts first, so it is stopped last
    for (const s of stacks.filter((x) => x.name.startsWith('nginx-'))) {
      assert.equal(s.processes.at(-1)?.name, 'nginx');
      assert.ok(s.processes.at(-1)?.argv.includes('daemon off;'));
    }
  });

  test('python modules are checked with the stack’s interpreter', async () => {
    const [stack] = loadStacks(stacksDir, ['gunicorn-gevent']);
    assert.ok(stack);
    const values = { root, workers: 2, port: 0 };
    const missing = (python: string, modules: string[]) =>
      missingRequirement(
        {
          ...stack,
          requires: { commands: [], python, pythonModules: modules, files: [], install: null },
        },
        values,
      );
    assert.equal(
      await missing('/nonexistent/python3', ['gevent']),
      'command /nonexistent/python3 not found (needed for Python modules)',
    );
    assert.equal(
      await missing('stackbench-no-python', ['gevent']),
      'command stackbench-no-python not found on PATH (needed for Python modules)',
    );
    if (onPath('/usr/bin/python3')) {
      assert.equal(
        await missing('/usr/bin/python3', ['stackbench_no_such_module']),
        'Python module stackbench_no_such_module not importable by /usr/bin/python3',
      );
    }
  });

  test('nginx config: valid for nginx, every path inside the run’s temp dir, upstream keep-alive', {
    skip: noNginx,
  }, () => {
    const dir = join(scratch, 'nginx-config');
    mkdirSync(dir);
    const conf = renderConfig(
      readFileSync(join(stacksDir, 'nginx-upstream.conf'), 'utf8'),
      { tmpdir: dir, host: '127.0.0.1', port: 1, internal_port: 2, backlog: 511, timeout: 120 },
      'nginx.conf',
    );
    const directives = conf.replace(/#.*$/gm, '');
    // paths are quoted (the orchestrator escapes values for nginx)
    const paths = directives.match(/(?<=\s")\/[^"]+/g) ?? [];
    assert.ok(paths.length >= 7, 'pid, lock and temp paths are set');
    for (const path of paths) assert.ok(path.startsWith(`${dir}/`), `${path} outside ${dir}`);
    assert.match(directives, /listen "127\.0\.0\.1:1" backlog=511;/);
    assert.match(directives, /keepalive \d+;/);
    assert.match(directives, /proxy_http_version 1\.1;/);
    assert.match(directives, /proxy_set_header Connection "";/);
    writeFileSync(join(dir, 'nginx.conf'), conf);
    // -t parses and opens everything but binds nothing
    execFileSync(
      'nginx',
      ['-t', '-q', '-p', `${dir}/`, '-c', join(dir, 'nginx.conf'), '-e', 'stderr'],
      {
        stdio: 'pipe',
      },
    );
  });

  test('smoke: gunicorn-gevent and nginx-prefork-rr verified, loaded, stopped, nothing left', {
    skip: noNginx || noGunicorn,
  }, async () => {
    const outDir = join(scratch, 'results');
    // nginx's and the upstream's ports, read while the stacks run
    let nginxConf = '';
    const upstreamConnections = new Set<number>();
    let internalPort = 0;
    const { result, seen } = await matrix(
      [
        '--profile',
        'smoke',
        '--stacks',
        'gunicorn-gevent,nginx-prefork-rr',
        '--out',
        outDir,
        '--plain',
      ],
      {},
      (procs) => {
        const nginx = procs.find((p) => p.cmdline.startsWith('nginx: master process'));
        const confPath = nginx?.cmdline.match(/-c (\S+)/)?.[1];
        if (confPath && !nginxConf) {
          try {
            nginxConf = readFileSync(confPath, 'utf8');
          } catch {
            // removed already: the stack is stopping
          }
        }
        const prefork = procs.find((p) => p.cmdline.includes('stackbench-prefork.js'));
        internalPort ||= portIn(prefork?.cmdline ?? '', /-b 127\.0\.0\.1:(\d+)/);
        if (internalPort) for (const p of connectionsTo(internalPort)) upstreamConnections.add(p);
      },
    );
    assert.equal(result.code, 0, result.stderr);
    const setDir = result.stdout.trim().split('\n').at(-1) ?? '';
    const manifest = readJson(join(setDir, 'manifest.json'));
    assert.deepEqual(validateManifest(manifest), []);
    assert.deepEqual(
      manifest.stacks.map((s: { name: string; status: string; reference: boolean }) => [
        s.name,
        s.status,
        s.reference,
      ]),
      [
        ['gunicorn-gevent', 'complete', true],
        ['nginx-prefork-rr', 'complete', false],
      ],
    );
    // versions as plain numbers, Python's too (the reference stacks' interpreter)
    assert.match(manifest.stacks[0].versions.gunicorn, /^\d+\.\d+(\.\d+)?$/);
    assert.match(manifest.stacks[0].versions.python, /^3\.\d+\.\d+$/);
    assert.match(manifest.stacks[1].versions.nginx, /^\d+\.\d+\.\d+$/);

    const runs: Record<string, StackRun> = {};
    for (const name of ['gunicorn-gevent', 'nginx-prefork-rr']) {
      const doc = readJson(join(setDir, `${name}.json`));
      assert.deepEqual(validateStackResult(doc), []);
      assert.equal(doc.runs.length, 2, `${name}: smoke has K = 2 rounds`);
      const [run] = doc.runs;
      runs[name] = run;
      assert.equal(run.status, 'complete', run.error);
      assert.deepEqual(run.verification, {
        bodyMatches: true,
        contentType: 'text/plain',
        status: 200,
      });
      assert.deepEqual(
        run.windows.map((w: { cus: number }) => w.cus).sort(),
        [2, 4],
        `${name}: one window per CUs level in a round`,
      );
      for (const w of run.windows) {
        // the workers found behind the port: gunicorn's 2, or nginx's (one per core)
        const expected = name === 'gunicorn-gevent' ? 2 : cpus().length;
        assert.equal(w.balance?.workers.length, expected, `${name}: ${JSON.stringify(w.balance)}`);
      }
      for (const c of run.windows.map((w: { load: { cycles: unknown[] } }) => w.load.cycles[0])) {
        assert.ok(c.requests.succeeded > 0, `${name}: answers at ${c.users} CUs`);
        assert.equal(c.requests.failed, 0, `${name}: no failure at ${c.users} CUs`);
      }
      assert.deepEqual(
        [run.lifecycle.killed, run.lifecycle.leftover, run.lifecycle.portFree],
        [false, 0, true],
        `${name}: stopped gracefully, nothing left, port free`,
      );
      assert.ok(run.server.summary.samples >= 1, `${name}: sampled while loaded`);
    }

    // what ran, seen from /proc: each tree is one process group, masters lead them
    const groupOf = (leader?: SeenProcess) => seen.filter((p) => leader && p.pgid === leader.pid);
    const gunicornMaster = seen.find(
      (p) => p.pid === p.pgid && /gunicorn .*bench_app:bench_app/.test(p.cmdline),
    );
    const gunicorn = groupOf(gunicornMaster);
    assert.equal(gunicorn.length, 3, `gunicorn master and 2 workers: ${JSON.stringify(seen)}`);
    const nginxMaster = seen.find((p) => p.cmdline.startsWith('nginx: master process'));
    assert.equal(nginxMaster?.pid, nginxMaster?.pgid, 'nginx master leads its own group');
    const nginxWorkers = groupOf(nginxMaster).filter((p) => p.ppid === nginxMaster?.pid);
    assert.ok(nginxWorkers.length >= 1, 'nginx workers seen');
    assert.ok(nginxWorkers.every((p) => p.cmdline.startsWith('nginx: worker process')));
    const preforkMaster = seen.find(
      (p) => p.pid === p.pgid && p.cmdline.includes('stackbench-prefork.js'),
    );
    const prefork = groupOf(preforkMaster);
    assert.equal(prefork.length, 3, 'prefork master and 2 workers');

    // the samples cover every process of the stack, nginx's included
    const maxProcesses = (name: string) =>
      Math.max(...(runs[name]?.windows ?? []).flatMap((w) => w.server).map((s) => s.processes));
    assert.equal(maxProcesses('gunicorn-gevent'), 3);
    assert.equal(maxProcesses('nginx-prefork-rr'), prefork.length + 1 + nginxWorkers.length);

    // stopped: no pid seen is alive, no process is left in their groups, every port is free
    assert.deepEqual(leftovers(seen), [], 'no stack process left');
    const gunicornPort = portIn(gunicornMaster?.cmdline ?? '', /-b 127\.0\.0\.1:(\d+)/);
    const nginxPort = portIn(nginxConf, /listen "127\.0\.0\.1:(\d+)"/);
    assert.ok(gunicornPort && nginxPort && internalPort, 'ports read while running');
    assert.notEqual(nginxPort, internalPort);
    for (const port of [gunicornPort, nginxPort, internalPort]) {
      assert.equal(await canListen(port), true, `port ${port} free`);
    }

    // upstream keep-alive: far fewer nginx→prefork connections than proxied requests
    const proxied =
      runs['nginx-prefork-rr']?.windows.reduce(
        (n, w) => n + (w.load.cycles[0]?.requests.succeeded ?? 0),
        0,
      ) ?? 0;
    assert.ok(upstreamConnections.size >= 1, 'upstream connections seen');
    assert.ok(
      upstreamConnections.size * 5 < proxied,
      `${upstreamConnections.size} upstream connections for ${proxied} requests`,
    );

    const report = readFileSync(join(setDir, 'report.md'), 'utf8');
    assert.match(report, /^## gunicorn-gevent \(reference\)\n\n.*Status: \*\*complete\*\*/m);
    assert.match(report, /^## nginx-prefork-rr\n\n.*Status: \*\*complete\*\*/m);
  });

  test('a host without gunicorn on PATH skips the gunicorn stacks, with the reason', async () => {
    const outDir = join(scratch, 'results-no-gunicorn');
    const PATH = pathWithout('gunicorn', join(scratch, 'shadow'));
    const { result, seen } = await matrix(
      [
        '--profile',
        'smoke',
        '--stacks',
        'gunicorn-gevent,nginx-gunicorn-gevent',
        '--out',
        outDir,
        '--plain',
      ],
      { PATH },
    );
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(seen, [], 'no stack process started');
    const reason =
      'command gunicorn not found on PATH; to install it: sudo scripts/provision-host.sh';
    assert.match(result.stderr, new RegExp(`skipped gunicorn-gevent: ${reason}`));
    const setDir = result.stdout.trim().split('\n').at(-1) ?? '';
    const manifest = readJson(join(setDir, 'manifest.json'));
    assert.deepEqual(validateManifest(manifest), []);
    assert.equal(manifest.complete, true);
    const frontedReason = onPath('nginx')
      ? reason
      : 'command nginx not found on PATH; to install it: sudo scripts/provision-host.sh';
    assert.deepEqual(
      manifest.stacks.map((s: { name: string; status: string; reason: string }) => [
        s.name,
        s.status,
        s.reason,
      ]),
      [
        ['gunicorn-gevent', 'skipped', reason],
        ['nginx-gunicorn-gevent', 'skipped', frontedReason],
      ],
    );
    const report = readFileSync(join(setDir, 'report.md'), 'utf8');
    assert.match(
      report,
      /## gunicorn-gevent \(reference\)\n\ngunicorn \+ gevent\. Status: \*\*skipped\*\* \(command gunicorn not found on PATH; to install it: sudo scripts\/provision-host\.sh\)\./,
    );
    // named at the top, before any figure, with the command that fixes it
    assert.ok(
      report.indexOf(
        '⚠️ **Not measured (2 of 2 stacks):** **gunicorn-gevent** — skipped: command gunicorn not found on PATH; to install it: sudo scripts/provision-host.sh',
      ) < report.indexOf('## What was measured'),
    );
  });
});
