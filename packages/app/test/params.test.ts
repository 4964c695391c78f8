import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { AppParameterError, defaultParams, readParams } from '../src/index.js';

describe('readParams', () => {
  it("defaults to the seed's values", () => {
    assert.deepEqual(readParams({}), {
      cpuIterations: 10_000,
      sleepMs: 100,
      writes: 10_000,
      writeMode: 'sync',
    });
    assert.deepEqual(readParams({}), defaultParams);
  });

  it('reads every documented variable', () => {
    const env = {
      STACKBENCH_CPU_ITERATIONS: '5',
      STACKBENCH_SLEEP_MS: '0',
      STACKBENCH_WRITES: '7',
      STACKBENCH_WRITE_MODE: 'async',
    };
    assert.deepEqual(readParams(env), {
      cpuIterations: 5,
      sleepMs: 0,
      writes: 7,
      writeMode: 'async',
    });
  });

  const bad: [Record<string, string>, string][] = [
    [{ STACKBENCH_SLEEP_MS: 'abc' }, 'STACKBENCH_SLEEP_MS'],
    [{ STACKBENCH_SLEEP_MS: '-5' }, 'STACKBENCH_SLEEP_MS'],
    [{ STACKBENCH_WRITES: '1.5' }, 'STACKBENCH_WRITES'],
    [{ STACKBENCH_CPU_ITERATIONS: '1e3' }, 'STACKBENCH_CPU_ITERATIONS'],
    [{ STACKBENCH_WRITE_MODE: 'mmap' }, 'STACKBENCH_WRITE_MODE'],
  ];
  for (const [env, variable] of bad) {
    it(`refuses ${JSON.stringify(env)}, naming ${variable}`, () => {
      assert.throws(
        () => readParams(env),
        (error: unknown) => {
          assert.ok(error instanceof AppParameterError);
          assert.equal(error.variable, variable);
          assert.match(error.message, new RegExp(`^${variable}=`));
          return true;
        },
      );
    });
  }

  it('the app module refuses to load with a bad parameter, naming the variable', () => {
    const result = spawnSync(
      process.execPath,
      ['--input-type=module', '-e', "await import('@stackbench/app')"],
      {
        env: { ...process.env, STACKBENCH_SLEEP_MS: 'soon' },
        encoding: 'utf8',
        timeout: 20_000,
      },
    );
    assert.notEqual(result.status, 0);
    assert.match(result.stderr, /STACKBENCH_SLEEP_MS="soon" is not valid: expected a whole number/);
  });
});
