import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AppLoadError } from '@stackbench/cli';
import { parseAppSpec } from '../src/app-spec.js';
import { AdapterError } from '../src/errors.js';
import { loadApp } from '../src/load-app.js';
import { fixture, packageRoot } from './helpers/adapter-process.js';

const apps = fixture('apps.js');

async function rejectsWith(spec: string, code: string, mention: RegExp) {
  await assert.rejects(loadApp(spec, packageRoot), (error: unknown) => {
    // a module that throws on import is the load error adapter and prefork share (cli's)
    const shared = code === 'ADAPTER_APP_LOAD_FAILED';
    assert.ok(error instanceof (shared ? AppLoadError : AdapterError), String(error));
    assert.equal(error.code, code);
    assert.equal(error.exitCode, 2);
    assert.match(error.message, mention);
    return true;
  });
}

describe('parseAppSpec', () => {
  it('splits MODULE:EXPORT, defaults EXPORT, and marks factory calls', () => {
    assert.deepEqual(parseAppSpec('@stackbench/app:benchApp'), {
      module: '@stackbench/app',
      exportName: 'benchApp',
      callFactory: false,
    });
    assert.deepEqual(parseAppSpec('./a.js'), {
      module: './a.js',
      exportName: 'default',
      callFactory: false,
    });
    assert.deepEqual(parseAppSpec('./a.js:make()'), {
      module: './a.js',
      exportName: 'make',
      callFactory: true,
    });
    assert.equal(parseAppSpec('file:///x/a.js').module, 'file:///x/a.js');
  });
  it('rejects specs without a module or with a bad export', () => {
    assert.throws(() => parseAppSpec(':x'), { code: 'ADAPTER_APP_SPEC_INVALID' });
    assert.throws(() => parseAppSpec('./a.js:no-dash'), { code: 'ADAPTER_APP_SPEC_INVALID' });
    assert.throws(() => parseAppSpec(''), { code: 'ADAPTER_APP_SPEC_INVALID' });
  });
});

describe('loadApp', () => {
  it('loads a listener from a file path and from a package name', async () => {
    assert.equal(typeof (await loadApp(`${apps}:hello`)), 'function');
    const hello = await loadApp('@stackbench/app:helloApp', packageRoot);
    assert.equal(hello.length, 2);
  });
  it('calls a factory (fewer than two parameters, or EXPORT()) and serves what it returns', async () => {
    const made = await loadApp(`${apps}:createApp`);
    assert.equal(made.length, 2);
    assert.equal((await loadApp(`${apps}:createApp()`)).length, 2);
  });
  it('names the culprit for each way loading fails', async () => {
    await rejectsWith('./no/such/app.js:x', 'ADAPTER_APP_NOT_FOUND', /no\/such\/app\.js/);
    await rejectsWith('@stackbench/no-such-package:x', 'ADAPTER_APP_NOT_FOUND', /no-such-package/);
    await rejectsWith(`${apps}:nope`, 'ADAPTER_APP_EXPORT_MISSING', /"nope".*hello/);
    await rejectsWith(`${apps}:notListener`, 'ADAPTER_APP_NOT_LISTENER', /a number/);
    await rejectsWith(
      `${apps}:factoryOfNothing`,
      'ADAPTER_APP_NOT_LISTENER',
      /factory returning a string/,
    );
    await rejectsWith(fixture('broken.js'), 'ADAPTER_APP_LOAD_FAILED', /broken fixture/);
  });
});
