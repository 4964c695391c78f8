import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CyclesError, parseCycles } from '../src/index.js';

describe('parseCycles', () => {
  it('reads Funkload cycle lists', () => {
    assert.deepEqual(parseCycles('50:100:150'), [50, 100, 150]);
    assert.deepEqual(parseCycles('1'), [1]);
    assert.deepEqual(parseCycles(' 5 : 10 '), [5, 10]);
  });

  const bad: [string, string, RegExp][] = [
    ['50:x:150', 'x', /bad token "x": not a whole number/],
    ['50::150', '', /bad token "": not a whole number/],
    ['0', '0', /bad token "0": must be at least 1/],
    ['-5', '-5', /not a whole number/],
    ['2.5', '2.5', /not a whole number/],
    ['999999', '999999', /must be at most 20000/],
    ['', '', /empty list/],
  ];
  for (const [text, token, message] of bad) {
    it(`rejects ${JSON.stringify(text)}, naming the token`, () => {
      assert.throws(
        () => parseCycles(text),
        (error: unknown) => {
          assert.ok(error instanceof CyclesError);
          assert.equal(error.token, token);
          assert.equal(error.exitCode, 2);
          assert.match(error.message, message);
          return true;
        },
      );
    });
  }
});
