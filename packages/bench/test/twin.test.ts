/** The twin: its name, its settings, and bad input refused with what is valid. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseBudget } from '../src/settings/budget.js';
import type { StackDefinition } from '../src/stack/stack-def.js';
import type { StackUnit } from '../src/stack/stack-units.js';
import { parseTwin, withTwin } from '../src/stack/twin.js';

const unit = (name: string, base = name): StackUnit => ({
  stack: { name, base, title: name } as StackDefinition,
  runtimeName: null,
  skip: null,
});

describe('--twin', () => {
  test('an identical twin and one with app parameters', () => {
    assert.deepEqual(parseTwin('prefork-rr'), { stack: 'prefork-rr', env: {} });
    assert.deepEqual(parseTwin('prefork-rr:STACKBENCH_WRITES=11000,STACKBENCH_SLEEP_MS=90'), {
      stack: 'prefork-rr',
      env: { STACKBENCH_WRITES: '11000', STACKBENCH_SLEEP_MS: '90' },
    });
  });

  test('bad input names what is wrong and what is valid', () => {
    assert.throws(() => parseTwin('Prefork'), {
      code: 'BENCH_BAD_TWIN',
      message: /not a stack name/,
    });
    assert.throws(() => parseTwin('prefork-rr:PATH=/tmp'), {
      code: 'BENCH_BAD_TWIN',
      message: /STACKBENCH_WRITES/,
    });
    assert.throws(() => parseTwin('prefork-rr:STACKBENCH_WRITES=lots'), {
      code: 'BENCH_BAD_TWIN',
      message: /STACKBENCH_WRITES/,
    });
    assert.throws(() => parseTwin('prefork-rr:STACKBENCH_WRITES=1,STACKBENCH_WRITES=2'), {
      message: /twice/,
    });
  });

  test('the twin follows its original, named STACK~twin, with the changed parameters', () => {
    const units = withTwin([unit('a'), unit('prefork-rr'), unit('b')], {
      stack: 'prefork-rr',
      env: { STACKBENCH_WRITES: '11000' },
    });
    assert.deepEqual(
      units.map((u) => u.stack.name),
      ['a', 'prefork-rr', 'prefork-rr~twin', 'b'],
    );
    assert.deepEqual(units[2]?.stack.appEnv, { STACKBENCH_WRITES: '11000' });
    assert.equal(units[1]?.stack.appEnv, undefined);
    // a stack file's name twins each of its runtime units
    const rt = withTwin([unit('p@node20', 'p'), unit('p@node24', 'p')], { stack: 'p', env: {} });
    assert.deepEqual(
      rt.map((u) => u.stack.name),
      ['p@node20', 'p@node20~twin', 'p@node24', 'p@node24~twin'],
    );
    assert.throws(() => withTwin([unit('a')], { stack: 'zz', env: {} }), {
      code: 'BENCH_BAD_TWIN',
      message: /the set has: a/,
    });
  });
});

describe('--budget', () => {
  test('seconds, or a number with a unit', () => {
    assert.equal(parseBudget('900'), 900);
    assert.equal(parseBudget('15m'), 900);
    assert.equal(parseBudget('1.5h'), 5400);
    assert.equal(parseBudget('90s'), 90);
  });
  test('anything else is refused with examples', () => {
    for (const bad of ['soon', '', '0', '-5m', '500ms', '30d']) {
      assert.throws(
        () => parseBudget(bad),
        { code: 'BENCH_BAD_BUDGET', message: /e\.g\. 900, 15m/ },
        bad,
      );
    }
  });
});
