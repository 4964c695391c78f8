import assert from 'node:assert/strict';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { buildArgv, splitWords } from '../src/config/command-line.js';
import { parseConfig, socketFds } from '../src/config/load.js';
import { ConfigError } from '../src/errors.js';

const file = join(tmpdir(), 'web.ini');

function issuesOf(text: string): string[] {
  try {
    parseConfig(text, file);
  } catch (error) {
    assert.ok(error instanceof ConfigError);
    assert.equal(error.exitCode, 2);
    return error.issues.map((i) => `[${i.section}]${i.key ? ` ${i.key}` : ''}: ${i.message}`);
  }
  assert.fail('expected a ConfigError');
}

describe('parseConfig', () => {
  it('reads a Circus-shaped config with defaults, env sections and priorities', () => {
    const config = parseConfig(
      `
[supervisor]
stats_interval = 2
dashboard = 127.0.0.1:8100

[socket:web]
port = 8080

[socket:unix]
path = web.sock

[watcher:low]
cmd = /bin/true

[watcher:web]
cmd = node serve.js
args = --fd $(circus.sockets.web) --wid $(circus.wid) --name "$(circus.env.NAME)"
numprocesses = 3
use_sockets = true
priority = 5
stop_signal = INT
env = A=1 B="two words"

[env:web]
NAME = my app
`,
      file,
    );
    assert.deepEqual(config.supervisor.endpoint, {
      kind: 'unix',
      path: join(tmpdir(), 'web.sock'),
    });
    assert.equal(config.supervisor.tokenFile, join(tmpdir(), 'web.token'));
    assert.equal(config.supervisor.statsIntervalMs, 2000);
    assert.deepEqual(config.supervisor.dashboard, { host: '127.0.0.1', port: 8100 });
    assert.deepEqual(config.sockets[0], {
      name: 'web',
      family: 'AF_INET',
      host: '127.0.0.1',
      port: 8080,
      backlog: 2048,
    });
    assert.equal(config.sockets[1]?.family, 'AF_UNIX');
    assert.deepEqual(
      config.watchers.map((w) => w.name),
      ['web', 'low'],
      'higher priority first',
    );
    const web = config.watchers[0];
    assert.ok(web);
    assert.equal(web.stopSignal, 'SIGINT');
    assert.equal(web.gracefulTimeoutMs, 30_000);
    assert.equal(web.env.B, 'two words');
    assert.deepEqual(
      buildArgv(web.commandLine, { sockets: socketFds(config.sockets), wid: 2, env: web.env }),
      ['node', 'serve.js', '--fd', '4', '--wid', '2', '--name', 'my app'],
    );
  });

  it('reports every problem at once, with section, key and what is valid', () => {
    const issues = issuesOf(`
stray = 1
[supervisor]
endpoint = tcp://10.0.0.1:5555
dashboard = 0.0.0.0:8100
colour = blue

[socket:web]
port = 99999
backlog = lots

[watcher:web]
numprocesses = -1
warmup_delay = soon
stop_signal = SIGNOPE
readiness = psychic
use_sockets = true
args = --fd $(circus.sockets.web) | tee log

[watcher:other]
cmd = node x.js $(circus.sockets.web) $(circus.env.NOT_SET_ANYWHERE)

[env:ghost]
A = 1

[thing:x]
`);
    const expected = [
      /^\[\] stray: keys must be inside a section/,
      /^\[thing:x\]: unknown section; valid: supervisor, socket:NAME, watcher:NAME, env:NAME/,
      /^\[supervisor\] endpoint: TCP endpoint host 10\.0\.0\.1 is not loopback/,
      /^\[supervisor\] dashboard: 0\.0\.0\.0 is not a loopback address.*dashboard_allow_remote/,
      /^\[supervisor\] colour: unknown key; valid keys: endpoint, stats_interval/,
      /^\[socket:web\] backlog: "lots" is not valid; expected a whole number 1\.\.65535/,
      /^\[socket:web\] port: "99999" is not valid; expected a whole number 0\.\.65535/,
      /^\[env:ghost\]: there is no \[watcher:ghost\]/,
      /^\[watcher:web\] cmd: is required/,
      /^\[watcher:web\] numprocesses: "-1" is not valid; expected a whole number 0..1024/,
      /^\[watcher:web\] warmup_delay: "soon" is not valid; expected seconds 0..2147483 /,
      /^\[watcher:web\] stop_signal: "SIGNOPE" is not a signal/,
      /^\[watcher:web\] readiness: "psychic" is not valid; expected one of: ipc, delay/,
      /^\[watcher:web\] cmd: shell operator "\|" is not allowed/,
      /^\[watcher:other\] cmd: \$\(circus\.sockets\.web\): the watcher needs use_sockets = true/,
      /^\[watcher:other\] cmd: \$\(circus\.env\.NOT_SET_ANYWHERE\): environment variable NOT_SET_ANYWHERE is not set/,
    ];
    for (const pattern of expected) {
      assert.ok(
        issues.some((issue) => pattern.test(issue)),
        `missing ${pattern}\n${issues.join('\n')}`,
      );
    }
    assert.equal(issues.length, expected.length, issues.join('\n'));
  });

  it('allows a non-loopback dashboard only when asked explicitly', () => {
    const config = parseConfig(
      '[supervisor]\ndashboard = 0.0.0.0:8100\ndashboard_allow_remote = true\n[watcher:a]\ncmd = /bin/true\n',
      file,
    );
    assert.deepEqual(config.supervisor.dashboard, { host: '0.0.0.0', port: 8100 });
  });

  it('refuses unknown sockets, dotted names and a singleton with more than one process', () => {
    const issues = issuesOf(`
[watcher:a]
cmd = x $(circus.sockets.nope)
use_sockets = true
singleton = true
numprocesses = 2
[watcher:b.c]
cmd = y
`);
    assert.ok(
      issues.some((i) => /\[watcher:a\] cmd: .*no \[socket:nope\]/.test(i)),
      issues.join('\n'),
    );
    assert.ok(issues.some((i) => /singleton = true allows at most 1/.test(i)));
    assert.ok(issues.some((i) => /\[watcher:b\.c\]: names may use letters/.test(i)));
  });
});

describe('splitWords', () => {
  it('splits like a shell, with quotes and escapes, but never expands', () => {
    assert.deepEqual(splitWords(`a "b c" 'd $HOME' e\\ f $HOME *.js`), [
      'a',
      'b c',
      'd $HOME',
      'e f',
      '$HOME',
      '*.js',
    ]);
  });

  it('refuses an unterminated quote and says how to write ; in INI', () => {
    const result = splitWords('python3 -c "import os');
    assert.ok(
      !Array.isArray(result) && /unterminated " quote .*write \\; and \\#/.test(result.problem),
    );
  });

  for (const operator of ['a | b', 'a > f', 'a; b', 'a && b', 'a $(b)', 'a `b`']) {
    it(`refuses ${operator}`, () => {
      const result = splitWords(operator);
      if (operator.includes('`')) {
        // shell-quote keeps backticks literal: no shell runs, so nothing is executed either way.
        assert.ok(Array.isArray(result));
        return;
      }
      assert.ok(!Array.isArray(result) && /not allowed/.test(result.problem));
    });
  }
});
