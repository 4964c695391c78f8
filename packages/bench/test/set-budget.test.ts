/**
 * The budget's decisions and messages with the host's facts given (this host's, changed where a
 * limit must bite), and the stacks' recorded memory as the committed file holds it.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { WorkerMemoryFileError } from '../src/errors.js';
import { resolveProfile } from '../src/profile/profiles.js';
import { fdNeed, memoryNeed, portNeed } from '../src/set/budget-needs.js';
import { type BudgetInput, setBudget } from '../src/set/set-budget.js';
import { readWorkerMemory } from '../src/set/worker-memory.js';
import { localBudgetFacts } from '../src/targets/local/budget-facts.js';
import { root } from './cli-run.js';

const stacksDir = join(root, 'stacks');
const names = readdirSync(stacksDir)
  .filter((f) => f.endsWith('.toml') && f !== 'profiles.toml')
  .map((f) => f.slice(0, -'.toml'.length));
const paper = resolveProfile(stacksDir, 'paper', 24, {}, names).settings;
const stacks = names.map((name) => ({ name, file: name, fronted: name.startsWith('nginx-') }));
const memory = readWorkerMemory(stacksDir);
const host = localBudgetFacts();

function input(over: Partial<BudgetInput> = {}): BudgetInput {
  return {
    settings: paper,
    stacks,
    cores: 24,
    memory,
    facts: host,
    asked: 'auto',
    driverHere: true,
    loopback: true,
    mustInterleave: null,
    ...over,
  };
}

describe('set budget', () => {
  const dir = mkdtempSync(join(tmpdir(), 'stackbench-budget-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('the committed worker-memory.json names every stack, measured or skipped with a reason', () => {
    const doc = JSON.parse(readFileSync(join(stacksDir, 'worker-memory.json'), 'utf8'));
    for (const name of names) {
      const entry = doc.stacks[name];
      assert.ok(entry, `${name} is not in stacks/worker-memory.json: npm run bench:worker-rss`);
      assert.ok(memory.stacks.has(name) || typeof entry.skipped === 'string', name);
    }
    const need = memoryNeed(paper, stacks, memory);
    assert.ok(need.allMb > need.largestMb && need.largestMb > need.driverMb);
  });

  test('auto: interleaved when every stack fits side by side, one at a time when not', () => {
    const need = memoryNeed(paper, stacks, memory);
    const roomy = setBudget(input({ facts: { ...host, memAvailableMb: need.allMb * 2 } }));
    assert.deepEqual(roomy.problems, []);
    assert.equal(roomy.budget.interleave.chosen, true);
    assert.match(roomy.budget.line, /: interleaved \(auto: 50 workers × \d+ stacks side by side/);
    // room for the largest stack, not for all of them
    const short = setBudget(input({ facts: { ...host, memAvailableMb: need.largestMb + 1 } }));
    assert.deepEqual(short.problems, []);
    assert.equal(short.budget.interleave.chosen, false);
    assert.equal(short.budget.interleave.asked, 'auto');
    assert.match(short.budget.interleave.why, /more than 80 % of .* MemAvailable/);
    assert.equal(short.budget.memoryMb?.needed, Math.round(need.largestMb));
  });

  test('too little memory for what was asked: refused, naming the figures and the settings', () => {
    const need = memoryNeed(paper, stacks, memory);
    const avail = Math.floor(need.allMb / 2);
    const side = setBudget(input({ asked: true, facts: { ...host, memAvailableMb: avail } }));
    assert.equal(side.problems.length, 1);
    assert.match(
      side.problems[0] as string,
      /`workers` 50 × \d+ stacks side by side need [\d.]+ GB, MemAvailable is [\d.]+ GB: lower `workers`, run fewer `--stacks`, or set `interleave = false`/,
    );
    const alone = setBudget(
      input({ asked: false, facts: { ...host, memAvailableMb: need.largestMb / 2 } }),
    );
    assert.match(alone.problems[0] as string, /`workers` 50 of .* alone need .* lower `workers`/);
    // an A/B set cannot fall back to one stack at a time
    const ab = setBudget(
      input({
        mustInterleave: 'an A/B set',
        facts: { ...host, memAvailableMb: need.largestMb + 1 },
      }),
    );
    assert.match(ab.problems[0] as string, /an A\/B set needs the stacks side by side/);
  });

  test('open files: refused under a low ulimit -n, with the figure to raise it to', () => {
    const need = fdNeed(paper, stacks, 24, true, true).perProcess;
    const low = need - 1;
    const { problems } = setBudget(
      input({ facts: { ...host, openFiles: { soft: low, hard: low } } }),
    );
    assert.equal(problems.length, 1);
    const text = problems[0] as string;
    assert.match(
      text,
      new RegExp(`raise \`ulimit -n\` to at least ${need.toLocaleString('en-US')}`),
    );
    assert.match(text, /its hard limit/);
    assert.equal(setBudget(input()).budget.fds?.available, host.openFiles?.soft);
  });

  test('ports: close mode without tcp_tw_reuse holds ports in TIME_WAIT', () => {
    const close = { ...paper, connections: ['close' as const] };
    const facts = { ...host, twReuse: 0, portRange: [40000, 40999] as [number, number] };
    const need = portNeed(close, facts, true);
    assert.ok(need.needed > 1000, need.how);
    const { problems } = setBudget(input({ settings: close, facts }));
    assert.match(
      problems.join('\n'),
      /TIME_WAIT .* gives 1,000: widen net\.ipv4\.ip_local_port_range/,
    );
    // loopback with tcp_tw_reuse = 2 reuses a port after a second
    assert.ok(portNeed(close, { ...facts, twReuse: 2 }, true).needed < need.needed);
  });

  test("ports: keep-alive windows' closed connections stay in TIME_WAIT while later windows open theirs", () => {
    const short = { ...paper, cycleWarmupS: 1, durationS: 2, pauseS: 0.5 };
    const off = { ...host, twReuse: 0 };
    // 60 s of TIME_WAIT over windows of 3.5 s: 18 windows' users at the peak level
    assert.equal(portNeed(short, off, true).needed, 400 * 18);
    assert.match(portNeed(short, off, true).how, /18 windows' ports held 60 s in TIME_WAIT/);
    // paper's own windows (5 + 24 + 2 s): two windows' worth
    assert.equal(portNeed(paper, off, false).needed, 400 * 2);
    // loopback with tcp_tw_reuse = 2: a port is reused after a second, one window's worth
    assert.equal(portNeed(short, { ...host, twReuse: 2 }, true).needed, 400);
  });

  test('a worker-memory.json without the figures is refused, naming the key', () => {
    writeFileSync(
      join(dir, 'worker-memory.json'),
      JSON.stringify({ orchestratorMb: 90, stacks: { a: { baseMb: 'x' } } }),
    );
    assert.throws(
      () => readWorkerMemory(dir),
      (error: unknown) => {
        assert.ok(error instanceof WorkerMemoryFileError);
        assert.match(error.message, /worker-memory\.json: stacks\.a: needs baseMb and perWorkerMb/);
        return true;
      },
    );
  });
});
