import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkReadmeSection, formatOptionsMarkdown, UsageError } from '@stackbench/cli';
import { helpText } from '../src/help.js';
import { adapterOptions, listenTargetFrom } from '../src/options.js';
import { packageRoot } from './helpers/adapter-process.js';

describe('adapter options', () => {
  it('README option table matches the option table (UPDATE_DOCS=1 rewrites it)', () => {
    const result = checkReadmeSection(
      `${packageRoot}/README.md`,
      'options',
      formatOptionsMarkdown(adapterOptions),
    );
    assert.ok(result.current, `README options section is stale; expected:${result.expected}`);
  });
  it('--help lists every flag and every backend', () => {
    const help = helpText();
    for (const flag of [
      '--fd',
      '--port',
      '--unix',
      '--backlog',
      '--threads',
      '--graceful-timeout',
      '--pre-hook',
    ]) {
      assert.ok(help.includes(flag), flag);
    }
    assert.match(help, /Backends:\n {2}node .*\n {2}threads /);
  });
  it('takes exactly one listen target', () => {
    assert.deepEqual(listenTargetFrom({ fd: 3 }), { fd: 3 });
    assert.deepEqual(listenTargetFrom({ port: 0 }), { host: '127.0.0.1', port: 0 });
    assert.deepEqual(listenTargetFrom({ host: '::1', port: 80 }), { host: '::1', port: 80 });
    assert.deepEqual(listenTargetFrom({ unix: '/tmp/s' }), { path: '/tmp/s' });
    assert.throws(() => listenTargetFrom({}), UsageError);
    assert.throws(() => listenTargetFrom({ fd: 3, port: 1 }), /only one/);
    assert.throws(() => listenTargetFrom({ host: 'x' }), /--host needs --port/);
    assert.deepEqual(listenTargetFrom({ port: 80, reusePort: true }), {
      host: '127.0.0.1',
      port: 80,
      reusePort: true,
    });
    assert.throws(
      () => listenTargetFrom({ fd: 3, reusePort: true }),
      /--reuse-port applies to a port the adapter binds itself \(--port\)/,
    );
  });
});
