import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AddressInUseError, AppLoadError, StackbenchError } from '@stackbench/cli';
import * as errors from '../src/errors.js';

const cases: [StackbenchError, string, number, RegExp][] = [
  [
    new errors.AppSpecError(':x', 'has no MODULE'),
    'ADAPTER_APP_SPEC_INVALID',
    2,
    /":x".*MODULE\[:EXPORT\]/,
  ],
  [
    new errors.AppNotFoundError('APP', './a.js', '/srv'),
    'ADAPTER_APP_NOT_FOUND',
    2,
    /"\.\/a\.js".*\/srv/,
  ],
  [
    new AppLoadError(errors.ADAPTER, errors.moduleSubject('APP', './a.js'), new Error('bad')),
    'ADAPTER_APP_LOAD_FAILED',
    2,
    /APP module "\.\/a\.js" failed to load: bad/,
  ],
  [
    new errors.AppExportMissingError('APP', 'm', 'x', ['a', 'b']),
    'ADAPTER_APP_EXPORT_MISSING',
    2,
    /"x".*a, b/,
  ],
  [
    new errors.AppNotListenerError('APP', 'm:x', 'a number'),
    'ADAPTER_APP_NOT_LISTENER',
    2,
    /m:x.*a number/,
  ],
  [
    new errors.ReusePortUnsupportedError('20.20.2'),
    'ADAPTER_REUSE_PORT_UNSUPPORTED',
    2,
    /--reuse-port needs Node >= 22\.12.*20\.20\.2/,
  ],
  [
    new errors.UnknownBackendError('fibers', ['node', 'threads']),
    'ADAPTER_BACKEND_UNKNOWN',
    2,
    /"fibers".*node, threads/,
  ],
  [new errors.FdNotOpenError(9), 'ADAPTER_FD_NOT_OPEN', 2, /--fd 9/],
  [
    new errors.FdNotSocketError(3, 'a regular file'),
    'ADAPTER_FD_NOT_SOCKET',
    2,
    /--fd 3.*regular file/,
  ],
  [new errors.FdNotListeningError(3, 'x'), 'ADAPTER_FD_NOT_LISTENING', 2, /--fd 3.*not listening/],
  [
    new AddressInUseError(errors.ADAPTER_LISTEN, '127.0.0.1:80'),
    'ADAPTER_ADDRESS_IN_USE',
    2,
    /cannot listen on 127\.0\.0\.1:80: address already in use/,
  ],
  [
    new errors.ListenError('unix:/x', new Error('EACCES')),
    'ADAPTER_LISTEN_FAILED',
    2,
    /unix:\/x.*EACCES/,
  ],
  [
    new errors.HookNotFunctionError('pre-hook', 'm:x', 'a string'),
    'ADAPTER_HOOK_NOT_FUNCTION',
    2,
    /--pre-hook m:x/,
  ],
  [
    new errors.HookError('post-hook', 'm:x', new Error('oops')),
    'ADAPTER_HOOK_FAILED',
    1,
    /--post-hook m:x.*oops/,
  ],
];

describe('adapter errors', () => {
  it('carry their code, exit code and a message naming the culprit', () => {
    for (const [error, code, exitCode, message] of cases) {
      assert.ok(error instanceof StackbenchError);
      assert.equal(error.code, code);
      assert.equal(error.exitCode, exitCode, code);
      assert.match(error.message, message, code);
    }
  });
});
