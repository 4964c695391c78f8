import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  flagName,
  formatHelp,
  formatOptionsMarkdown,
  type OptionTable,
  parseCommandLine,
  splitHostPort,
  UsageError,
} from '../src/index.js';

const table = {
  workers: {
    type: 'integer',
    short: 'w',
    min: 1,
    default: 1,
    env: 'WEB_CONCURRENCY',
    description: 'worker count',
  },
  timeout: { type: 'number', min: 0, default: 30, description: 'seconds' },
  backend: {
    type: 'string',
    choices: ['node', 'threads'],
    default: 'node',
    description: 'backend',
  },
  pid: { type: 'string', valueName: 'FILE', description: 'pid file' },
  verbose: { type: 'boolean', default: false, description: 'talk more' },
  env: { type: 'list', valueName: 'K=V', description: 'environment' },
} as const satisfies OptionTable;

describe('parseCommandLine', () => {
  it('converts values, applies defaults and keeps positionals', () => {
    const { options, positionals, help } = parseCommandLine(
      table,
      ['-w', '4', '--timeout=1.5', '--env', 'A=1', '--env', 'B=2', 'app:x'],
      {},
    );
    assert.equal(options.workers, 4);
    assert.equal(options.timeout, 1.5);
    assert.equal(options.backend, 'node');
    assert.equal(options.pid, undefined);
    assert.deepEqual(options.env, ['A=1', 'B=2']);
    assert.deepEqual(positionals, ['app:x']);
    assert.equal(help, false);
  });

  it('says which keys the command line gave: not a default, not the environment', () => {
    const { given } = parseCommandLine(
      table,
      ['-w4', '--timeout=1.5', '--verbose', '--env', 'A=1'],
      { WEB_CONCURRENCY: '8' },
    );
    assert.deepEqual([...given].sort(), ['env', 'timeout', 'verbose', 'workers']);
    const none = parseCommandLine(table, [], { WEB_CONCURRENCY: '8' });
    assert.equal(none.options.workers, 8);
    assert.deepEqual([...none.given], []);
  });

  it('types a string option with choices as the union of them (no cast at the call site)', () => {
    const { options } = parseCommandLine(table, ['--backend', 'threads'], {});
    const backend: 'node' | 'threads' = options.backend;
    // @ts-expect-error: the build fails here if choices stop narrowing the type to the union
    const other: typeof options.backend = 'cluster';
    assert.equal(backend, 'threads');
    assert.equal(other, 'cluster');
    // a string option without choices stays a string
    const pid: string | undefined = parseCommandLine(table, ['--pid', 'x'], {}).options.pid;
    assert.equal(pid, 'x');
  });

  it('reads the environment when the flag is absent, the flag wins otherwise', () => {
    assert.equal(parseCommandLine(table, [], { WEB_CONCURRENCY: '7' }).options.workers, 7);
    assert.equal(parseCommandLine(table, ['-w', '2'], { WEB_CONCURRENCY: '7' }).options.workers, 2);
    assert.throws(
      () => parseCommandLine(table, [], { WEB_CONCURRENCY: 'many' }),
      /environment variable WEB_CONCURRENCY \("many"\) must be a whole number/,
    );
  });

  const bad: [string[], RegExp][] = [
    [['-w', 'x'], /--workers \("x"\) must be a whole number/],
    [['-w', '0'], /--workers \("0"\) must be at least 1/],
    [['-w', '1.5'], /must be a whole number/],
    [['--timeout=-1'], /--timeout \("-1"\) must be at least 0/],
    [['--backend', 'gevent'], /--backend \("gevent"\) must be one of: node, threads/],
    [['--nope'], /Unknown option '--nope'/],
    [['--pid'], /--pid/],
  ];
  for (const [argv, message] of bad) {
    it(`refuses ${argv.join(' ')} with a usage error`, () => {
      assert.throws(
        () => parseCommandLine(table, argv, {}),
        (error: unknown) => {
          assert.ok(error instanceof UsageError);
          assert.equal(error.exitCode, 2);
          assert.match(error.message, message);
          return true;
        },
      );
    });
  }

  it('accepts --help', () => {
    assert.equal(parseCommandLine(table, ['--help'], {}).help, true);
  });
});

describe('generated docs', () => {
  it('help lists every option with defaults and env', () => {
    const help = formatHelp({ usage: 'x [options] APP', summary: 'Does x.' }, table);
    for (const key of Object.keys(table)) assert.match(help, new RegExp(`--${flagName(key)}`));
    assert.match(help, /-w, --workers VALUE\s+worker count \(default: 1; env: WEB_CONCURRENCY\)/);
    assert.match(help, /--backend node\|threads/);
  });

  it('markdown has one row per option', () => {
    const markdown = formatOptionsMarkdown(table);
    assert.equal(markdown.split('\n').length, 2 + Object.keys(table).length);
    assert.match(markdown, /\| `--backend node\\\|threads` \| `node` \|/);
  });
});

describe('splitHostPort', () => {
  it('splits IPv4, names and bracketed IPv6', () => {
    assert.deepEqual(splitHostPort('127.0.0.1:8080'), { host: '127.0.0.1', port: 8080 });
    assert.deepEqual(splitHostPort('localhost:0'), { host: 'localhost', port: 0 });
    assert.deepEqual(splitHostPort('[::1]:8100'), { host: '::1', port: 8100 });
  });

  for (const text of ['8080', '::1:8080', '127.0.0.1:', ':80', '[::1]', 'a[b]:1', 'host:80x']) {
    it(`refuses ${JSON.stringify(text)}`, () => assert.equal(splitHostPort(text), undefined));
  }
});
