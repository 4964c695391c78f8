/** The profile keys for results that resolve: sizing, disturbance, adaptive sampling, budget. */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { resolveProfile } from '../src/profile/profiles.js';
import { root } from './cli-run.js';

const dir = mkdtempSync(join(tmpdir(), 'stackbench-profile-sampling-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const BASE = `default = "p"
[p]
workers = 2
cycles = [4]
samples = 3
duration_s = 0.5
cycle_warmup_s = 0.2
`;

function profile(extra: string, overrides = {}) {
  const sub = mkdtempSync(join(dir, 'p-'));
  writeFileSync(join(sub, 'profiles.toml'), `${BASE}${extra}`);
  return resolveProfile(sub, 'p', 2, overrides, ['a']);
}

describe('profile keys for results that resolve', () => {
  test('local sizes its windows and samples adaptively within its budget', () => {
    const { settings } = resolveProfile(join(root, 'stacks'), 'local', 2, {}, ['a']);
    assert.ok(settings.windowSizing && settings.windowSizing.responsesPerUser > 0);
    assert.ok(settings.adaptive && settings.adaptive.budgetS > 0);
    assert.ok(settings.adaptive.maxSamples >= settings.samples);
  });

  test('defaults, and the hash ignores the budget but not the sizing', () => {
    const plain = profile('');
    assert.equal(plain.settings.windowSizing, undefined);
    assert.equal(plain.settings.adaptive, undefined);
    assert.deepEqual(plain.settings.disturbance, { stealPct: 5, foreignPct: 15, rerun: false });
    const sized = profile('responses_per_user = 10\n');
    assert.deepEqual(sized.settings.windowSizing, {
      responsesPerUser: 10,
      minRequests: 100,
      maxDurationS: 5,
      maxWarmupS: 5,
    });
    assert.notEqual(sized.hash, plain.hash);
    const budget = profile('budget_s = 60\n');
    assert.deepEqual(budget.settings.adaptive, {
      budgetS: 60,
      targetResolutionPct: 5,
      maxSamples: 12,
    });
    assert.equal(budget.hash, plain.hash, 'a budget changes K, not what a window measures');
    const flag = profile('', { budgetS: 90 });
    assert.equal(flag.settings.adaptive?.budgetS, 90);
  });

  test('bad values name the file, the key and what is valid', () => {
    assert.throws(() => profile('min_requests = 10\n'), {
      code: 'BENCH_BAD_PROFILE',
      message: /profiles\.toml: p\.min_requests: .*responses_per_user/,
    });
    assert.throws(() => profile('responses_per_user = 0\n'), {
      message: /p\.responses_per_user: must be at least 1/,
    });
    assert.throws(() => profile('responses_per_user = 5\nmax_duration_s = 0.1\n'), {
      message: /p\.max_duration_s: must be at least 0\.5/,
    });
    assert.throws(() => profile('max_samples = 4\n'), { message: /p\.max_samples: .*budget_s/ });
    assert.throws(() => profile('budget_s = 60\nmax_samples = 2\n'), {
      message: /p\.max_samples: must be at least 3/,
    });
    assert.throws(() => profile('budget_s = 60\ninterleave = false\n'), {
      message: /interleave = true/,
    });
    assert.throws(() => profile('rerun_disturbed = "yes"\n'), {
      message: /p\.rerun_disturbed: must be true or false/,
    });
    assert.throws(() => profile('disturbed_steal_pct = 120\n'), { message: /at most 100/ });
  });
});
