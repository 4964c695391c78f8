import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LoadOptionError, type LoadOptions, validateLoadOptions } from '../src/index.js';
import { testOptions } from './fixtures/options.js';

describe('validateLoadOptions', () => {
  it('accepts good options unchanged', () => {
    const options = testOptions('http://127.0.0.1:8080/x?y=1', { expectBody: '^ok$' });
    assert.equal(validateLoadOptions(options), options);
  });

  const bad: [Partial<LoadOptions>, RegExp][] = [
    [{ url: 'not a url' }, /^url: "not a url" is not a URL/],
    [{ url: 'https://127.0.0.1/' }, /scheme https: is not supported/],
    [{ url: 'http://u:p@127.0.0.1/' }, /credentials/],
    [{ cycles: [] }, /^cycles: expected at least one/],
    [{ cycles: [1, 0] }, /^cycles: 0 users/],
    [{ durationS: 0 }, /^duration: 0 is not valid; expected a number of seconds > 0/],
    [{ durationS: -1 }, /^duration: -1/],
    [{ timeoutS: 0 }, /^timeout: 0/],
    [{ warmupS: -0.5 }, /^warmup: -0.5 is not valid; expected a number of seconds >= 0/],
    [{ startupDelayS: Number.NaN }, /^startup-delay: NaN/],
    [{ cyclePauseS: -1 }, /^cycle-pause/],
    [{ sleepTimeS: -1 }, /^sleep-time/],
    [{ connection: 'maybe' as 'close' }, /^connection: "maybe".*keep-alive or close/],
    [{ expectStatus: 42 }, /^expect-status: 42/],
    [{ expectBody: '(' }, /^expect-body: "\(" is not a valid regular expression/],
    [{ threads: 0 }, /^threads: 0/],
  ];
  for (const [override, message] of bad) {
    it(`rejects ${JSON.stringify(override)}`, () => {
      assert.throws(
        () => validateLoadOptions(testOptions('http://127.0.0.1:8080/', override)),
        (error: unknown) => error instanceof LoadOptionError && message.test(error.message),
      );
    });
  }
});
