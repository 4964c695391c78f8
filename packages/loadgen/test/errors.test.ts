import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { StackbenchError } from '@stackbench/cli';
import {
  CyclesError,
  EngineUnsupportedError,
  LoadOptionError,
  OutputNotWritableError,
  PreflightError,
} from '../src/index.js';

describe('errors', () => {
  const table: [StackbenchError, string, RegExp][] = [
    [new CyclesError('1:a', 'a', 'not a whole number'), 'LOADGEN_BAD_CYCLES', /"a"/],
    [new LoadOptionError('duration', '0 is not valid'), 'LOADGEN_BAD_OPTION', /^duration: /],
    [
      new PreflightError('http://x/', 'status 500'),
      'LOADGEN_PREFLIGHT',
      /http:\/\/x\/.*status 500/,
    ],
    [new OutputNotWritableError('/a/b', 'ENOENT'), 'LOADGEN_OUTPUT_NOT_WRITABLE', /\/a\/b/],
    [
      new EngineUnsupportedError('autocannon', 'sleep-time', '0.5', 'no think time'),
      'LOADGEN_ENGINE_UNSUPPORTED',
      /^--sleep-time 0.5 is not supported by the autocannon engine \(no think time\); use --engine native/,
    ],
  ];
  for (const [error, code, message] of table) {
    it(`${code}: a StackbenchError, exit code 2, names the value`, () => {
      assert.ok(error instanceof StackbenchError);
      assert.equal(error.code, code);
      assert.equal(error.exitCode, 2);
      assert.match(error.message, message);
    });
  }
});
