/**
 * Issue 14 for the orchestrator: template values escaped for where they land (a workspace path
 * with a space, `#`, `;` works; a line break or a bad app is refused naming the value), stacks and
 * temp dirs gone when the orchestrator is SIGKILLed, stale run dirs cleaned safely, and bad input
 * to the CLIs answered with exit 2 and the culprit named.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { freePort, isAlive, processStartTime } from '@stackbench/host-probe';
import { cleanStaleRunDirs } from '../src/session/run-dir.js';
import { onPath } from '../src/stack/requirements.js';
import { renderConfig } from '../src/stack/template.js';
import { killGroup, matrixBin, root, run, start } from './cli-run.js';

const scratch = mkdtempSync(join(tmpdir(), 'bench-harden-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

const alive = isAlive;

async function until(what: string, check: () => boolean, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const baseValues = {
  workers: 1,
  port: 1,
  host: '127.0.0.1',
  internal_port: 2,
  backlog: 64,
  timeout: 30,
  threads: 2,
  app: '@stackbench/app:helloApp',
  node: process.execPath,
  root,
  stacks: join(root, 'stacks'),
  tmpdir: '/tmp/x',
};

describe('hardening: template values', () => {
  const template = readFileSync(join(root, 'stacks/supervisor-node.ini'), 'utf8');

  it('a workspace path with a space, # and ; reaches the supervisor intact and serves', async () => {
    // a workspace whose path has every troublesome character, linked to the real one
    const weird = join(scratch, 'work space #1; x');
    mkdirSync(weird);
    for (const name of ['packages', 'node_modules'])
      symlinkSync(join(root, name), join(weird, name));
    const runDir = join(scratch, 'run');
    mkdirSync(runDir);
    const port = await freePort();
    const ini = renderConfig(
      template,
      { ...baseValues, root: weird, port, tmpdir: runDir },
      'supervisor.ini',
    );
    writeFileSync(join(runDir, 'supervisor.ini'), ini);
    const supervisor = start(join(root, 'packages/supervisor/bin/stackbench-supervisor.js'), [
      join(runDir, 'supervisor.ini'),
    ]);
    try {
      let body = '';
      await until(
        'the stack to serve',
        () => {
          http
            .get({ host: '127.0.0.1', port, path: '/', agent: false }, (res) => {
              res.setEncoding('utf8').on('data', (c: string) => (body += c));
            })
            .on('error', () => {});
          return body.length > 0 || supervisor.child.exitCode !== null;
        },
        20_000,
      );
      assert.equal(supervisor.child.exitCode, null, supervisor.output());
    } finally {
      killGroup(supervisor);
    }
  });

  const refused: [Record<string, string>, string, RegExp][] = [
    [
      { app: '@stackbench/app:benchApp\n[watcher:evil]\ncmd = touch /tmp/pwned' },
      'supervisor.ini',
      /\{app\} = .* is not MODULE:EXPORT/,
    ],
    [{ app: 'no-export' }, 'supervisor.ini', /\{app\} = "no-export" is not MODULE:EXPORT/],
    [{ app: 'mod:not an export' }, 'supervisor.ini', /is not MODULE:EXPORT/],
    [
      { root: '/ws\n[watcher:evil]' },
      'supervisor.ini',
      /supervisor\.ini line \d+: \{root\} = .* holds a line break/,
    ],
    [{ node: '/usr/bin/node\r' }, 'supervisor.ini', /\{node\} = .* holds a line break/],
    [{ root: '/ws\0' }, 'supervisor.ini', /holds a NUL byte/],
  ];
  for (const [values, output, expected] of refused) {
    it(`refuses ${JSON.stringify(values).slice(0, 50)} naming the value`, () => {
      assert.throws(
        () => renderConfig(template, { ...baseValues, ...values }, output),
        (error: Error & { code?: string; exitCode?: number }) =>
          error.code === 'BENCH_TEMPLATE_VALUE' &&
          error.exitCode === 2 &&
          expected.test(error.message),
      );
    });
  }

  const nginx = readFileSync(join(root, 'stacks/nginx-upstream.conf'), 'utf8');
  it('nginx: a temp dir with ; and a newline is refused; with ; # and spaces it is quoted', () => {
    assert.throws(
      () => renderConfig(nginx, { ...baseValues, tmpdir: '/tmp/a;\nuser root' }, 'nginx.conf'),
      /nginx\.conf line \d+: \{tmpdir\} = .* holds a line break/,
    );
    assert.throws(
      () => renderConfig(nginx, { ...baseValues, tmpdir: '/tmp/$host' }, 'nginx.conf'),
      /holds \$, which nginx would read as a variable/,
    );
    assert.throws(
      () => renderConfig('pid {tmpdir}/nginx.pid;\n', { ...baseValues }, 'nginx.conf'),
      /must stand inside double quotes/,
    );
    const dir = join(scratch, 'ng x;#"y');
    mkdirSync(dir);
    const conf = renderConfig(nginx, { ...baseValues, tmpdir: dir }, 'nginx.conf');
    assert.match(conf, /pid ".*ng x;#\\"y\/nginx\.pid";/);
    if (onPath('nginx')) {
      writeFileSync(join(dir, 'nginx.conf'), conf);
      execFileSync(
        'nginx',
        ['-t', '-q', '-p', `${dir}/`, '-c', join(dir, 'nginx.conf'), '-e', 'stderr'],
        {
          stdio: 'pipe',
        },
      );
    }
  });
});

describe('hardening: stacks and temp dirs die with the orchestrator', () => {
  it('SIGKILL of the orchestrator kills the stack and removes the run dir', async () => {
    const victim = spawn(
      process.execPath,
      [fileURLToPath(new URL('./fixtures/reaper-victim.js', import.meta.url))],
      { detached: true, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let out = '';
    victim.stdout?.setEncoding('utf8').on('data', (c: string) => (out += c));
    let info: { dir: string; pid: number } | undefined;
    try {
      await until('the stack to start', () => out.includes('\n'));
      info = JSON.parse(out) as { dir: string; pid: number };
      assert.ok(alive(info.pid) && existsSync(info.dir));
      process.kill(victim.pid as number, 'SIGKILL');
      const { dir, pid } = info;
      await until('the stack to die', () => !alive(pid));
      await until('the run dir to go', () => !existsSync(dir));
    } finally {
      try {
        process.kill(-(victim.pid as number), 'SIGKILL');
      } catch {}
      if (info) {
        try {
          process.kill(-info.pid, 'SIGKILL');
        } catch {}
        rmSync(info.dir, { recursive: true, force: true });
      }
    }
  });

  it('cleans stale run dirs of dead owners only, never through a symlink', () => {
    const tmp = join(scratch, 'tmp');
    mkdirSync(tmp);
    const make = (name: string, owner: object | null) => {
      const dir = join(tmp, name);
      mkdirSync(dir);
      if (owner) writeFileSync(join(dir, '.stackbench-owner'), JSON.stringify(owner));
      writeFileSync(join(dir, 'sup.token'), 'x');
      return dir;
    };
    const dead = make('stackbench-old-AAAAAA', { pid: 2 ** 22 + 12345, start: '1' });
    const live = make('stackbench-live-BBBBBB', {
      pid: process.pid,
      start: processStartTime(process.pid),
    });
    const reused = make('stackbench-reuse-CCCCCC', { pid: process.pid, start: '0' });
    const foreign = make('stackbench-foreign-DDDDDD', null);
    const precious = join(scratch, 'precious');
    mkdirSync(precious);
    writeFileSync(
      join(precious, '.stackbench-owner'),
      JSON.stringify({ pid: 2 ** 22 + 1, start: '1' }),
    );
    symlinkSync(precious, join(tmp, 'stackbench-link-EEEEEE'));
    const removed = cleanStaleRunDirs(tmp).sort();
    assert.deepEqual(removed, [dead, reused].sort());
    assert.ok(
      existsSync(live) && existsSync(foreign) && existsSync(join(precious, '.stackbench-owner')),
    );
  });
});

describe('hardening: bad input to the CLIs (exit 2, culprit named, no stack trace)', () => {
  const bin = (pkg: string, name: string) =>
    join(root, `packages/${pkg}/bin/stackbench-${name}.js`);
  const cases: [string, string[], RegExp][] = [
    [
      'matrix',
      ['--stacks-dir', join(scratch, 'nope'), '--out', join(scratch, 'out')],
      /stacks directory .*nope: does not exist/,
    ],
    [
      'matrix',
      ['--stacks-dir', join(root, 'package.json'), '--out', join(scratch, 'out')],
      /stacks directory .*package\.json: is not a directory/,
    ],
    [
      'adapter',
      ['--graceful-timeout', '3000000', '--port', '0', '@stackbench/app:helloApp'],
      /--graceful-timeout \("3000000"\) must be at most 2147483 seconds/,
    ],
    [
      'adapter',
      ['--keep-alive-timeout', '1e10', '--port', '0', '@stackbench/app:helloApp'],
      /--keep-alive-timeout .* must be at most 2147483 seconds/,
    ],
    ['ctl', ['--timeout', '1e12', 'list'], /--timeout \("1e12"\) must be at most 2147483 seconds/],
    [
      'ctl',
      ['--endpoint', join(scratch, 'none.sock'), 'constructor'],
      /unknown command "constructor"/,
    ],
    [
      'ctl',
      ['--endpoint', join(scratch, 'none.sock'), 'incr', 'web', '1e300'],
      /N must be a whole number 1\.\.1024/,
    ],
    [
      'ctl',
      ['--endpoint', join(scratch, 'none.sock'), 'incr', 'web', '5000'],
      /N must be a whole number 1\.\.1024/,
    ],
    ['ctl', ['--endpoint', join(scratch, 'none.sock'), '__proto__'], /unknown command "__proto__"/],
  ];
  const pkgOf: Record<string, string> = { matrix: 'bench', adapter: 'adapter', ctl: 'supervisor' };
  for (const [name, args, expected] of cases) {
    it(`stackbench-${name} ${args.slice(-2).join(' ')}`, async () => {
      const result = await run(bin(pkgOf[name] as string, name), args, 20_000);
      assert.equal(result.code, 2, result.stderr);
      assert.match(result.stderr, expected);
      assert.doesNotMatch(result.stderr, /\n\s+at |TimeoutOverflowWarning/);
    });
  }

  it('stackbench-matrix: a profile whose app holds a newline is refused before any load', async () => {
    const stacks = join(scratch, 'stacks-evil');
    mkdirSync(stacks);
    cpSync(join(root, 'stacks/supervisor-node.toml'), join(stacks, 'supervisor-node.toml'));
    cpSync(join(root, 'stacks/supervisor-node.ini'), join(stacks, 'supervisor-node.ini'));
    writeFileSync(
      join(stacks, 'profiles.toml'),
      'default = "evil"\n[evil]\nworkers = 1\ncycles = [1]\nduration_s = 1\nstacks = ["supervisor-node"]\napp = "@stackbench/app:benchApp\\n[watcher:evil]\\ncmd = touch /tmp/stackbench-pwned"\n',
    );
    const result = await run(
      matrixBin,
      ['--stacks-dir', stacks, '--out', join(scratch, 'out-evil')],
      60_000,
    );
    assert.equal(result.code, 2, result.stderr);
    assert.match(result.stderr, /\{app\} = .*\[watcher:evil\].* is not MODULE:EXPORT/);
    assert.equal(existsSync('/tmp/stackbench-pwned'), false);
  });
});
