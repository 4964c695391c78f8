/**
 * A/B in one set (`bench:ab`) end to end, with this repository's own commit as the base built in
 * a real git worktree: base and head windows coupled round by round, the verdict in compare.md
 * and the manifest, the exit code of --fail-on-regression, the pull-request check taking the A/B
 * path when no committed set is comparable, and no worktree left after success or Ctrl-C.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, describe, test } from 'node:test';
import { abVerdict, readResultSet } from '@stackbench/report';
import type { Manifest } from '@stackbench/result';
import { planExtraRound, planSchedule } from '../src/set/schedule.js';
import { killGroup, root, run, start } from './cli-run.js';

const abBin = resolve(root, 'packages/bench/bin/stackbench-ab.js');
const prCheckBin = resolve(root, 'packages/bench/bin/stackbench-pr-check.js');
const scratch = mkdtempSync(join(tmpdir(), 'bench-ab-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

/** Worktrees of this repository other than the main one. */
const extraTrees = () =>
  execFileSync('git', ['-C', root, 'worktree', 'list', '--porcelain'], { encoding: 'utf8' })
    .split('\n')
    .filter((l) => l.startsWith('worktree '))
    .map((l) => l.slice('worktree '.length))
    .filter((dir) => dir.startsWith(scratch));

const SMOKE = ['--profile', 'smoke', '--stacks', 'prefork-rr', '--samples', '3', '--plain'];

describe('the schedule couples base and head', () => {
  const couples = [
    ['a@base', 'a@head'],
    ['b@base', 'b@head'],
  ] as const;
  const input = {
    stacks: ['a@base', 'a@head', 'b@base', 'b@head'],
    levels: [2, 4, 8],
    samples: 6,
    interleave: true,
    seed: 7,
    couples,
  };

  test('each cell of a stack runs base and head back to back, base first in every other couple', () => {
    const plan = planSchedule(input);
    const firsts = new Set<string>();
    for (const round of plan) {
      assert.equal(round.windows.length, 4 * 3);
      const sides: string[] = [];
      for (let i = 0; i < round.windows.length; i += 2) {
        const [x, y] = [round.windows[i]!, round.windows[i + 1]!];
        assert.equal(x.level, y.level);
        assert.equal(x.stack.split('@')[0], y.stack.split('@')[0], 'a couple is one stack');
        assert.notEqual(x.stack, y.stack);
        sides.push(x.stack.endsWith('@base') ? 'base' : 'head');
      }
      // alternating within the round: base, head, base… or head, base, head…
      for (let i = 1; i < sides.length; i++) assert.notEqual(sides[i], sides[i - 1]);
      firsts.add(sides[0]!);
    }
    assert.equal(firsts.size, 2, 'which side starts a round is drawn');
    // the start order takes turns too: each side is started first in every other round
    assert.deepEqual(
      plan.map((r) => r.stacks.indexOf('a@base') < r.stacks.indexOf('a@head')),
      [1, 2, 3, 4, 5, 6].map((round) => (round + input.seed) % 2 === 0),
    );
    assert.deepEqual([...plan[0]!.stacks].sort(), [...input.stacks].sort());
    assert.deepEqual(planSchedule(input), planSchedule({ ...input }), 'the seed replays it');
  });

  test('an adaptive round keeps the couples; a head without its base runs alone', () => {
    const cells = [
      { stack: 'a@base', connection: 'keep-alive' as const, workload: 'seed' as const, level: 2 },
      { stack: 'a@head', connection: 'keep-alive' as const, workload: 'seed' as const, level: 2 },
      { stack: 'b@head', connection: 'keep-alive' as const, workload: 'seed' as const, level: 4 },
    ];
    const round = planExtraRound(9, cells, 7, couples);
    assert.equal(round.windows.length, 3);
    const i = round.windows.findIndex((w) => w.stack.startsWith('a@'));
    assert.equal(round.windows[i + 1]?.stack.startsWith('a@'), true);
    assert.ok(round.windows.some((w) => w.stack === 'b@head'));
  });
});

describe('bench:ab', () => {
  test('a head that sleeps 10× longer: worse beyond 50 %, exit 1; pairs by round; the tree is gone', async () => {
    const work = join(scratch, 'slow');
    const result = await run(
      abBin,
      [
        '--base',
        'HEAD',
        '--head-env',
        'STACKBENCH_SLEEP_MS=200',
        '--fail-on-regression',
        '50',
        '--work',
        work,
        ...SMOKE,
      ],
      300_000,
    );
    assert.equal(result.code, 1, result.stderr);
    assert.match(
      result.stderr,
      /worse by more than 50 % over the whole interval:\n {2}prefork-rr keep-alive @ 2: RPS head\/base 0\.\d+/,
    );
    assert.match(result.stderr, /install: copied/);
    const dir = result.stdout.trim().split('\n').at(-1) as string;
    const set = readResultSet(dir);
    const manifest: Manifest = set.manifest;
    const commit = execFileSync('git', ['-C', root, 'rev-parse', 'HEAD'], { encoding: 'utf8' });
    assert.equal(manifest.ab?.base.commit, commit.trim());
    assert.equal(manifest.ab?.base.ref, 'HEAD');
    assert.deepEqual(manifest.ab?.head.env, { STACKBENCH_SLEEP_MS: '200' });
    assert.ok(manifest.ab?.base.versions['@stackbench/prefork']);
    assert.deepEqual(
      manifest.stacks.map((s) => [s.name, s.ab?.side]),
      [
        ['prefork-rr@base', 'base'],
        ['prefork-rr@head', 'head'],
      ],
    );
    // every round ran both sides at every level: the verdict's ratios rest on 3 paired rounds
    for (const side of set.stacks) {
      assert.deepEqual(
        side.runs.map((r) => [r.round, r.windows.map((w) => w.cus).sort()]),
        [1, 2, 3].map((round) => [round, [2, 4]]),
      );
    }
    const verdict = abVerdict(set.stacks);
    const rps = verdict.effects.filter((e) => e.metric === 'rps');
    assert.deepEqual(
      rps.map((e) => [e.level, e.verdict, e.effect.n, e.effect.paired]),
      [
        [2, 'worse', 3, true],
        [4, 'worse', 3, true],
      ],
    );
    const compare = readFileSync(join(work, 'compare.md'), 'utf8');
    assert.match(compare, /^# Benchmark check: A\/B in one set\n/);
    assert.match(compare, /\*\*A\/B, head vs base:\*\* \d+ better, [1-9]\d* worse/);
    assert.match(compare, /Fails on a comparison worse by more than 50 % .*\*\*\d+ found\*\*/);
    assert.deepEqual(extraTrees(), []);
    assert.equal(existsSync(join(work, 'base-tree')), false);
  });

  test('Ctrl-C while measuring: exit 130, no worktree and no tree left', async () => {
    const work = join(scratch, 'interrupted');
    const running = start(abBin, ['--base', 'HEAD', '--work', work, ...SMOKE]);
    try {
      for (let i = 0; i < 1200 && !/\[round 1\/3, window 1\//.test(running.output()); i++) {
        await new Promise((r) => setTimeout(r, 100));
      }
      assert.match(running.output(), /\[round 1\/3, window 1\//, 'measuring started');
      process.kill(running.child.pid as number, 'SIGINT');
      const result = await running.done;
      assert.equal(result.code, 130, result.stderr);
      assert.deepEqual(extraTrees(), []);
      assert.equal(existsSync(join(work, 'base-tree')), false);
    } finally {
      killGroup(running);
    }
  });

  test('pr-check with no comparable committed set measures base and head in one A/B set', async () => {
    const work = join(scratch, 'pr');
    const result = await run(
      prCheckBin,
      ['--base-ref', 'HEAD', '--work', work, '--fail-on-regression', '1000', ...SMOKE],
      300_000,
    );
    assert.equal(result.code, 0, result.stderr);
    assert.match(
      result.stderr,
      /pr-check: no committed base set \(none of the \d+ complete sets at [0-9a-f]{12} has profile smoke.*\); measuring base and head in one set \(bench:ab\)/,
    );
    const compare = readFileSync(join(work, 'compare.md'), 'utf8');
    assert.match(
      compare,
      /no committed set is comparable .* so bench:pr-check measured base and head side by side/,
    );
    assert.match(compare, /## A\/B: head against base/);
    assert.match(compare, /\| prefork-rr \| /);
    assert.deepEqual(extraTrees(), []);
  });

  test('bad input: no --base, a bad --head-env, an unknown ref: exit 2 naming it', async () => {
    const none = await run(abBin, ['--work', join(scratch, 'bad')]);
    assert.equal(none.code, 2);
    assert.match(none.stderr, /--base REF is required/);
    const env = await run(abBin, ['--base', 'HEAD', '--head-env', 'PATH=/x']);
    assert.equal(env.code, 2);
    assert.match(
      env.stderr,
      /--head-env PATH=\/x: "PATH=\/x" is not ENV=VALUE with one of the app's parameters/,
    );
    const ref = await run(abBin, ['--base', 'no-such-ref-here', '--work', join(scratch, 'bad')]);
    assert.equal(ref.code, 2);
    assert.match(ref.stderr, /no-such-ref-here/);
    assert.deepEqual(extraTrees(), []);
  });
});
