import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  EngineUnsupportedError,
  LoadOptionError,
  type LoadOptions,
  type OpenLoopOptions,
  parseRates,
  RatesError,
  validateLoadOptions,
} from '../src/index.js';
import { openLoopOptions, testOptions } from './fixtures/options.js';

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

describe('validateLoadOptions, open loop', () => {
  it('accepts good options unchanged', () => {
    const options = openLoopOptions('http://127.0.0.1:8080/', { arrivals: 'poisson' });
    assert.equal(validateLoadOptions(options), options);
  });

  const bad: [Partial<OpenLoopOptions> & Record<string, unknown>, RegExp][] = [
    [{ rates: [] }, /^rate: expected at least one rate/],
    [
      { rates: [100, 0] },
      /^rate: 0 requests\/s is not valid \(must be greater than 0\); expected a number > 0 and <= 1000000/,
    ],
    [{ rates: [Number.POSITIVE_INFINITY] }, /^rate: Infinity/],
    [{ rates: [2e6] }, /must be at most 1000000/],
    [{ cycles: [10] }, /^rate: an open-loop run \(rates\) cannot also have cycles/],
    [{ sleepTimeS: 0.5 }, /^sleep-time: 0.5 is not valid with a rate; expected 0/],
    [{ startupDelayS: 1 }, /^startup-delay: 1 is not valid with a rate/],
    [{ connections: 0 }, /^connections: 0 is not valid; expected a whole number in 1\.\.20000/],
    [
      { connections: 10, maxConnections: 5 },
      /^max-connections: 5 is not valid; expected a whole number in 10\.\.20000/,
    ],
    [
      { arrivals: 'bursty' as 'uniform' },
      /^arrivals: "bursty" is not valid; expected one of uniform, poisson/,
    ],
  ];
  for (const [override, message] of bad) {
    it(`rejects ${JSON.stringify(override)}`, () => {
      assert.throws(
        () => validateLoadOptions(openLoopOptions('http://127.0.0.1:8080/', override)),
        (error: unknown) => error instanceof LoadOptionError && message.test(error.message),
      );
    });
  }

  it('refuses the autocannon engine (its rate limit bursts)', () => {
    assert.throws(
      () =>
        validateLoadOptions(openLoopOptions('http://127.0.0.1:8080/', { engine: 'autocannon' })),
      (error: unknown) =>
        error instanceof EngineUnsupportedError && /--rate 200/.test(error.message),
    );
  });
});

describe('parseRates', () => {
  it('reads whole and fractional rates', () => {
    assert.deepEqual(parseRates('100:200.5:0.5'), [100, 200.5, 0.5]);
  });
  for (const [text, token] of [
    ['0', '0'],
    ['100:abc', 'abc'],
    ['100::200', ''],
    ['-5', '-5'],
    ['2000000', '2000000'],
  ] as const) {
    it(`names the bad token of ${JSON.stringify(text)}`, () => {
      assert.throws(
        () => parseRates(text),
        (error: unknown) =>
          error instanceof RatesError &&
          error.code === 'LOADGEN_BAD_RATES' &&
          error.token === token &&
          /expected requests per second > 0 and <= 1000000/.test(error.message),
      );
    });
  }
});
