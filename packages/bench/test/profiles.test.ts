import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { listProfiles, resolveProfile } from '../src/profile/profiles.js';
import { render, unknownPlaceholders } from '../src/stack/template.js';
import { planPlacement } from '../src/targets/local/placement.js';
import { root } from './cli-run.js';

const stacksDir = join(root, 'stacks');
const all = ['prefork-none', 'prefork-rr', 'supervisor-node', 'supervisor-threads'];

describe('profiles', () => {
  test('paper is the seed matrix', () => {
    const { settings, interleaveAsked } = resolveProfile(stacksDir, 'paper', 2, {}, all);
    assert.equal(settings.workers, 50);
    assert.deepEqual(settings.cycles, [50, 100, 150, 200, 250, 300, 400]);
    // the seed's 120 s per cycle, measured as 5 windows of 24 s; side by side only when the
    // host has the memory (the budget check decides; one stack at a time until it has)
    assert.equal(settings.durationS * settings.samples, 120);
    assert.equal(interleaveAsked, 'auto');
    assert.equal(settings.interleave, false);
    const sequential = resolveProfile(stacksDir, 'paper', 2, { interleave: false }, all);
    assert.equal(sequential.interleaveAsked, false);
    assert.equal(sequential.settings.interleave, false);
    assert.equal(settings.backlog, 2048);
    assert.equal(settings.timeout, 120);
    assert.deepEqual(settings.stacks, all);
  });

  test("paper-rehearsal has paper's shape, with short windows, on every runtime", () => {
    const paper = resolveProfile(stacksDir, 'paper', 2, {}, all).settings;
    const { settings } = resolveProfile(stacksDir, 'paper-rehearsal', 2, {}, all);
    assert.equal(settings.workers, paper.workers);
    assert.deepEqual(settings.cycles, [50, 100, 200, 400]);
    assert.ok(settings.cycles.every((c) => paper.cycles.includes(c)));
    assert.deepEqual(settings.connections, paper.connections);
    assert.equal(settings.app, paper.app);
    assert.deepEqual(settings.appEnv, paper.appEnv);
    assert.ok(settings.durationS * settings.samples < (paper.durationS * paper.samples) / 10);
    assert.deepEqual(settings.runtimes, ['node24', 'bun', 'deno']);
  });

  test('local is the default and scales with the cores', () => {
    assert.equal(listProfiles(stacksDir).defaultName, 'local');
    const two = resolveProfile(stacksDir, undefined, 2, {}, all);
    const eight = resolveProfile(stacksDir, undefined, 8, {}, all);
    assert.equal(two.name, 'local');
    assert.equal(eight.settings.workers, 4 * two.settings.workers);
    assert.deepEqual(
      eight.settings.cycles,
      two.settings.cycles.map((c) => 4 * c),
    );
    assert.notEqual(two.hash, eight.hash, 'different hosts, different figures');
  });

  test('overrides apply; the hash ignores stacks and K but not durations', () => {
    const base = resolveProfile(stacksDir, 'smoke', 2, {}, all);
    const subset = resolveProfile(
      stacksDir,
      'smoke',
      2,
      { stacks: ['prefork-rr'], samples: 3 },
      all,
    );
    const longer = resolveProfile(
      stacksDir,
      'smoke',
      2,
      { durationS: 2, cycles: [3], workers: 3 },
      all,
    );
    assert.deepEqual(subset.settings.stacks, ['prefork-rr']);
    assert.equal(subset.settings.samples, 3);
    assert.equal(base.settings.samples, 2);
    assert.equal(base.settings.interleave, true);
    const sequential = resolveProfile(stacksDir, 'smoke', 2, { interleave: false }, all);
    assert.notEqual(sequential.hash, base.hash, 'interleaving changes what runs beside a stack');
    assert.equal(subset.hash, base.hash);
    assert.equal(longer.settings.durationS, 2);
    assert.deepEqual(longer.settings.cycles, [3]);
    assert.equal(longer.settings.workers, 3);
    assert.notEqual(longer.hash, base.hash);
  });

  test('open loop: rates or fractions of capacity instead of users, exactly one load axis', () => {
    const open = resolveProfile(stacksDir, 'open', 2, {}, all).settings;
    assert.deepEqual(open.cycles, []);
    assert.deepEqual(open.ratesOfCapacity, [0.5, 0.75, 0.9, 1, 1.2]);
    assert.equal(open.capacityCus, 40, '20 per core on 2 cores');
    const local = resolveProfile(stacksDir, 'local', 2, {}, all).settings;
    assert.equal(
      'rates' in local,
      false,
      'a closed loop carries no open-loop keys (its hash is unchanged)',
    );
    assert.throws(() => resolveProfile(stacksDir, 'open', 2, { cycles: [2] }, all), {
      code: 'BENCH_BAD_PROFILE',
      message: /--cycles: profile open is an open loop/,
    });
  });

  test('an unknown profile lists the valid ones', () => {
    assert.throws(() => resolveProfile(stacksDir, 'huge', 2, {}, all), {
      code: 'BENCH_BAD_PROFILE',
      message:
        'unknown profile huge; valid profiles: paper, paper-rehearsal, local, tfb, smoke-workloads, pr, smoke, open, smoke-open',
    });
  });
});

describe('placement', () => {
  test('2 cores: not pinned, and says why', () => {
    const p = planPlacement(2, true);
    assert.equal(p.pinned, false);
    assert.match(p.reason, /2 cores/);
  });
  test('24 cores: disjoint sets, a quarter for the driver', () => {
    assert.deepEqual(planPlacement(24, true), {
      pinned: true,
      driverCpus: '0-5',
      stackCpus: '6-23',
      reason: '24 cores: 6 for the load driver, 18 for the stack',
    });
    assert.equal(planPlacement(24, false).pinned, false);
  });
});

describe('templates', () => {
  test('placeholders are replaced; nginx braces are not placeholders', () => {
    const text = 'server { listen {port}; }';
    assert.deepEqual(unknownPlaceholders(text, ['port']), []);
    assert.equal(render(text, { port: 8080 }), 'server { listen 8080; }');
    assert.deepEqual(unknownPlaceholders('{workers} {wrokers}', ['workers']), ['wrokers']);
  });
});
