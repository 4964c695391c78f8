import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { StackbenchError } from '@stackbench/cli';
import {
  BadRequestError,
  ConfigError,
  ConfigReadError,
  EndpointError,
  EndpointUnreachableError,
  ReloadError,
  RemoteError,
  SocketBindError,
  TokenError,
  UnknownCommandError,
  UnknownWatcherError,
  WatcherStateError,
} from '../src/errors.js';

describe('error classes', () => {
  const table: [StackbenchError, string, number, RegExp][] = [
    [
      new ConfigError('/c.ini', [{ section: 'watcher:a', key: 'cmd', message: 'is required' }]),
      'SUPERVISOR_CONFIG_INVALID',
      2,
      /\/c\.ini: 1 problem:\n {2}\[watcher:a\] cmd: is required/,
    ],
    [
      new ConfigReadError('/c.ini', new Error('ENOENT')),
      'SUPERVISOR_CONFIG_UNREADABLE',
      2,
      /cannot read config \/c\.ini: ENOENT/,
    ],
    [
      new SocketBindError('web', '127.0.0.1:80', 'EACCES'),
      'SUPERVISOR_SOCKET_BIND',
      1,
      /\[socket:web\] cannot listen on 127\.0\.0\.1:80: EACCES; nothing was started/,
    ],
    [
      new EndpointError('/s.sock', 'in use'),
      'SUPERVISOR_ENDPOINT',
      1,
      /control endpoint \/s\.sock: in use/,
    ],
    [
      new EndpointUnreachableError('/s.sock', 'ENOENT'),
      'SUPERVISOR_UNREACHABLE',
      1,
      /no supervisor answers at \/s\.sock \(ENOENT\)/,
    ],
    [
      new UnknownCommandError('x', ['list', 'stop']),
      'SUPERVISOR_UNKNOWN_COMMAND',
      2,
      /unknown command "x"; valid commands: list, stop/,
    ],
    [
      new UnknownWatcherError('x', ['web']),
      'SUPERVISOR_UNKNOWN_WATCHER',
      2,
      /unknown watcher "x"; watchers: web/,
    ],
    [new BadRequestError('incr: missing WATCHER'), 'SUPERVISOR_BAD_REQUEST', 2, /missing WATCHER/],
    [new TokenError(), 'SUPERVISOR_TOKEN', 1, /--token-file/],
    [
      new WatcherStateError('web', 'is a singleton'),
      'SUPERVISOR_WATCHER_STATE',
      1,
      /watcher web: is a singleton/,
    ],
    [
      new ReloadError('web', 'timeout'),
      'SUPERVISOR_RELOAD_FAILED',
      1,
      /reload of web stopped: timeout; the old processes keep serving/,
    ],
    [new RemoteError('SUPERVISOR_X', 'boom', 2), 'SUPERVISOR_X', 2, /boom/],
  ];
  for (const [error, code, exitCode, message] of table) {
    it(`${error.name}: ${code}, exit ${exitCode}`, () => {
      assert.ok(error instanceof StackbenchError);
      assert.equal(error.code, code);
      assert.equal(error.exitCode, exitCode);
      assert.match(error.message, message);
    });
  }
});
