/** The option table drives --help and the README; config resolution turns it into typed values. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import {
  checkReadmeSection,
  formatHelp,
  formatOptionsMarkdown,
  parseCommandLine,
  StackbenchError,
} from '@stackbench/cli';
import { resolveConfig } from '../src/config.js';
import { preforkCommand, preforkOptions } from '../src/options.js';

const readme = fileURLToPath(new URL('../../README.md', import.meta.url));

function config(argv: string[], env: NodeJS.ProcessEnv = {}) {
  const parsed = parseCommandLine(preforkOptions, argv, env);
  return resolveConfig(parsed.options, parsed.positionals, '/srv');
}

describe('options', () => {
  it('README option table is generated from the table', () => {
    const result = checkReadmeSection(readme, 'options', formatOptionsMarkdown(preforkOptions));
    assert.ok(result.current, 'README options section is stale: run the tests with UPDATE_DOCS=1');
  });

  it('has Gunicorn defaults and converts seconds to milliseconds', () => {
    const c = config(['app:x']);
    assert.equal(c.workers, 1);
    assert.equal(c.timeoutMs, 30_000);
    assert.equal(c.gracefulTimeoutMs, 30_000);
    assert.equal(c.keepAliveTimeoutMs, 2000);
    assert.equal(c.backlog, 2048);
    assert.deepEqual(c.bind, { host: '127.0.0.1', port: 8000 });
    assert.equal(c.backend, 'node');
    assert.equal(c.schedule, 'rr');
    assert.equal(c.maxRequests, 0);
    assert.equal(c.cwd, '/srv');
    assert.equal(c.logFile, '-');
    assert.equal(c.pidFile, undefined);
  });

  it('reads the seed command line', () => {
    const c = config([
      '-w',
      '50',
      '-t',
      '120',
      '--backlog',
      '2048',
      '-b',
      '127.0.0.1:8080',
      '-k',
      'threads',
      '--threads',
      '8',
      '--schedule',
      'none',
      '--max-requests',
      '1000',
      '--max-requests-jitter',
      '50',
      '--pid',
      'run/p.pid',
      '--chdir',
      'app',
      '--keep-alive',
      '0.5',
      '@stackbench/app:benchApp',
    ]);
    assert.equal(c.workers, 50);
    assert.equal(c.timeoutMs, 120_000);
    assert.deepEqual(c.bind, { host: '127.0.0.1', port: 8080 });
    assert.equal(c.backend, 'threads');
    assert.equal(c.threads, 8);
    assert.equal(c.schedule, 'none');
    assert.equal(c.maxRequests, 1000);
    assert.equal(c.maxRequestsJitter, 50);
    assert.equal(c.pidFile, '/srv/run/p.pid');
    assert.equal(c.cwd, '/srv/app');
    assert.equal(c.keepAliveTimeoutMs, 500);
    assert.equal(c.app, '@stackbench/app:benchApp');
  });

  it('takes -w from WEB_CONCURRENCY unless given', () => {
    assert.equal(config(['a:b'], { WEB_CONCURRENCY: '3' }).workers, 3);
    assert.equal(config(['-w', '2', 'a:b'], { WEB_CONCURRENCY: '3' }).workers, 2);
  });

  it('--help lists every option and the signals', () => {
    const help = formatHelp(preforkCommand, preforkOptions);
    for (const flag of [
      '--workers',
      '--timeout',
      '--bind',
      '--backlog',
      '--worker-class',
      '--schedule',
      '--graceful-timeout',
      '--keep-alive',
      '--max-requests',
      '--max-requests-jitter',
      '--pid',
      '--log-file',
    ]) {
      assert.ok(help.includes(flag), flag);
    }
    assert.match(help, /TTIN\/TTOU/);
  });

  // Bad input that parsing and config resolution catch (the bin's end-to-end cases, where a
  // process is needed, are in cli.test.ts): all exit code 2 with the culprit named.
  const APP = 'app.js:handler';
  const bad: [string, () => string[], number, RegExp, NodeJS.ProcessEnv?][] = [
    ['two APPs', () => ['-b', '127.0.0.1:0', APP, APP], 2, /expected exactly one APP/],
    ['zero workers', () => ['-w', '0', APP], 2, /--workers \("0"\) must be at least 1/],
    [
      'invalid WEB_CONCURRENCY',
      () => [APP],
      2,
      /WEB_CONCURRENCY \("lots"\) must be a whole number/,
      { WEB_CONCURRENCY: 'lots' },
    ],
    ['negative timeout', () => ['--timeout=-1', APP], 2, /--timeout \("-1"\) must be at least 0/],
    [
      'invalid backlog',
      () => ['--backlog', '1.5', APP],
      2,
      /--backlog \("1\.5"\) must be a whole number/,
    ],
    [
      'unknown schedule',
      () => ['--schedule', 'random', APP],
      2,
      /--schedule \("random"\) must be one of: rr, none/,
    ],
    ['bind without port', () => ['-b', 'localhost', APP], 2, /--bind "localhost": not HOST:PORT/],
    [
      'bind port out of range',
      () => ['-b', '127.0.0.1:70000', APP],
      2,
      /port 70000 is out of range/,
    ],
    [
      'keep-alive 0',
      () => ['--keep-alive', '0', APP],
      2,
      /--keep-alive \("0"\) must be greater than 0/,
    ],
    [
      'jitter without max-requests',
      () => ['--max-requests-jitter', '5', APP],
      2,
      /--max-requests-jitter 5 needs --max-requests/,
    ],
    ['unknown flag', () => ['--workerz', '2', APP], 2, /Unknown option '--workerz'/],
  ];
  for (const [name, args, exitCode, message, env] of bad) {
    it(`rejects ${name} (exit ${exitCode})`, () => {
      assert.throws(
        () => config(args(), env ?? {}),
        (error: unknown) =>
          error instanceof StackbenchError &&
          error.exitCode === exitCode &&
          message.test(error.message),
      );
    });
  }
});
