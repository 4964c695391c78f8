/** Every error class: its code, its exit code (Gunicorn's where it has one) and a useful message. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AddressInUseError, AppLoadError, StackbenchError } from '@stackbench/cli';
import {
  AppMissingError,
  BindError,
  BindSpecError,
  JitterWithoutMaxRequestsError,
  LogFileError,
  PidFileError,
  PREFORK_APP,
  PREFORK_BIND,
  WorkerBootError,
} from '../src/errors.js';

const cases: [StackbenchError, string, number, RegExp][] = [
  [new AppMissingError([]), 'PREFORK_APP_MISSING', 2, /exactly one APP .*got none/],
  [
    new BindSpecError('x', 'not HOST:PORT'),
    'PREFORK_BIND_INVALID',
    2,
    /--bind "x": not HOST:PORT; expected HOST:PORT/,
  ],
  [
    new AddressInUseError(PREFORK_BIND, '127.0.0.1:80'),
    'PREFORK_ADDRESS_IN_USE',
    1,
    /cannot bind 127\.0\.0\.1:80: address already in use/,
  ],
  [
    new BindError('1.2.3.4:80', new Error('EADDRNOTAVAIL')),
    'PREFORK_BIND_FAILED',
    1,
    /cannot bind 1\.2\.3\.4:80: EADDRNOTAVAIL/,
  ],
  [
    new AppLoadError(PREFORK_APP, 'App', undefined, 'module "x" not found'),
    'PREFORK_APP_LOAD_FAILED',
    4,
    /App failed to load: module "x"/,
  ],
  [new WorkerBootError(42, 4), 'PREFORK_WORKER_BOOT_FAILED', 4, /App failed to load in worker 42/],
  [
    new WorkerBootError(42, 3),
    'PREFORK_WORKER_BOOT_FAILED',
    3,
    /Worker failed to boot in worker 42/,
  ],
  [
    new PidFileError('/x.pid', new Error('EACCES')),
    'PREFORK_PID_FILE',
    1,
    /--pid \/x\.pid: .*EACCES/,
  ],
  [
    new LogFileError('/x.log', new Error('ENOENT')),
    'PREFORK_LOG_FILE',
    2,
    /--log-file \/x\.log: .*ENOENT/,
  ],
  [new JitterWithoutMaxRequestsError(5), 'PREFORK_JITTER_INVALID', 2, /needs --max-requests/],
];

describe('errors', () => {
  for (const [error, code, exitCode, message] of cases) {
    it(code + (code === 'PREFORK_WORKER_BOOT_FAILED' ? ` (${exitCode})` : ''), () => {
      assert.ok(error instanceof StackbenchError);
      assert.equal(error.code, code);
      assert.equal(error.exitCode, exitCode);
      assert.match(error.message, message);
    });
  }
});
