import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { listStacks, loadStacks, parseStackDefinition } from '../src/stack/stack-def.js';
import { root } from './cli-run.js';

const stacksDir = join(root, 'stacks');
const scratch = mkdtempSync(join(tmpdir(), 'stackbench-stack-def-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

function parseText(text: string, name = 'x.toml') {
  return parseStackDefinition(text, join(scratch, name), scratch);
}

describe('stack definitions', () => {
  test('the shipped stacks all load', () => {
    const names = listStacks(stacksDir);
    assert.deepEqual(names, [
      'bun-serve',
      'deno-serve',
      'gunicorn-gevent',
      'nginx-gunicorn-gevent',
      'nginx-prefork-rr',
      'nginx-supervisor-node',
      'prefork-none',
      'prefork-rr',
      'reuseport-node',
      'supervisor-node',
      'supervisor-threads',
    ]);
    const stacks = loadStacks(stacksDir, names);
    const rr = stacks.find((s) => s.name === 'prefork-rr');
    assert.ok(rr?.processes[0]?.argv.includes('--schedule'));
    assert.equal(rr?.stop.signal, 'SIGTERM');
    const sup = stacks.find((s) => s.name === 'supervisor-threads');
    assert.equal(sup?.configs[0]?.output, 'supervisor.ini');
    assert.match(sup?.configs[0]?.template ?? '', /supervisor-threads\.ini$/);
  });

  test('several process trees, a non-Node program, requirements, reference flag', () => {
    const def = parseText(`
title = "nginx in front"
reference = true
[requires]
commands = ["nginx"]
python_modules = ["gevent"]
[versions]
commands = { nginx = ["nginx", "-v"] }
[[process]]
name = "upstream"
argv = ["{node}", "server.js", "{internal_port}"]
[[process]]
name = "nginx"
argv = ["nginx", "-c", "{tmpdir}/nginx.conf", "-g", "daemon off;"]
`);
    assert.equal(def.reference, true);
    assert.deepEqual(
      def.processes.map((p) => p.name),
      ['upstream', 'nginx'],
    );
    assert.deepEqual(def.requires.pythonModules, ['gevent']);
    assert.deepEqual(def.versions.commands.nginx, ['nginx', '-v']);
    assert.equal(def.ready.url, 'http://127.0.0.1:{port}/');
  });

  test('a config template may hold nginx braces, but no unknown placeholder', () => {
    writeFileSync(join(scratch, 'ok.conf'), 'events {}\nhttp { server { listen {port}; } }\n');
    const def = parseText(
      'title = "t"\n[[config]]\ntemplate = "ok.conf"\noutput = "nginx.conf"\n[[process]]\nargv = ["nginx"]\n',
    );
    assert.equal(def.configs.length, 1);
    writeFileSync(join(scratch, 'bad.conf'), 'listen {prot};\n');
    assert.throws(
      () =>
        parseText(
          'title = "t"\n[[config]]\ntemplate = "bad.conf"\noutput = "n.conf"\n[[process]]\nargv = ["nginx"]\n',
          'bad.toml',
        ),
      /bad\.toml: config\[0\]\.template \(bad\.conf\): unknown placeholder \{prot\}/,
    );
  });

  const bad: [string, string, RegExp][] = [
    ['syntax', 'title = ', /x\.toml: \(syntax\)/],
    [
      'a session placeholder in a required file (requirements are checked before any session)',
      'title = "t"\n[requires]\nfiles = ["{root}/ok", "{tmpdir}/x"]\n[[process]]\nargv = ["a"]',
      /x\.toml: requires\.files\[1\]: unknown placeholder \{tmpdir\}; valid: \{host\}, \{node\}, \{runtime\}, \{root\}, \{stacks\}/,
    ],
    [
      'unknown key',
      'title = "t"\ncolour = 1\n[[process]]\nargv = ["a"]',
      /x\.toml: colour: unknown key; valid keys: title, description/,
    ],
    ['no process', 'title = "t"', /x\.toml: process: at least one \[\[process\]\]/],
    [
      'empty argv',
      'title = "t"\n[[process]]\nargv = []',
      /process\[0\]\.argv: must name a program/,
    ],
    [
      'bad signal',
      'title = "t"\n[[process]]\nargv = ["a"]\n[stop]\nsignal = "SIGFOO"',
      /stop\.signal: must be one of SIGTERM/,
    ],
    [
      'bad regex',
      'title = "t"\n[[process]]\nargv = ["a"]\n[ready]\nbody = "("',
      /ready\.body: must be a valid regular expression/,
    ],
    [
      'bad status',
      'title = "t"\n[[process]]\nargv = ["a"]\n[ready]\nstatus = "ok"',
      /ready\.status: must be a whole number/,
    ],
  ];
  for (const [what, text, message] of bad) {
    test(`malformed: ${what}`, () => {
      assert.throws(
        () => parseText(text),
        (error: Error & { code?: string }) => {
          assert.equal(error.code, 'BENCH_BAD_STACK');
          assert.match(error.message, message);
          return true;
        },
      );
    });
  }

  test('unknown stack names list the valid ones', () => {
    assert.throws(() => loadStacks(stacksDir, ['prefork-rr', 'gunicorn']), {
      code: 'BENCH_UNKNOWN_STACK',
      message:
        /unknown stack gunicorn; valid stacks: bun-serve, deno-serve, gunicorn-gevent, nginx-gunicorn-gevent, nginx-prefork-rr, nginx-supervisor-node, prefork-none, prefork-rr, reuseport-node, supervisor-node, supervisor-threads/,
    });
  });
});
