import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { checkReadmeSection, formatOptionsMarkdown } from '@stackbench/cli';
import type { LoadOptions, LoadResult } from '../src/index.js';
import { loadOptionTable } from '../src/options.js';
import { closedPort, httpServer, type TestServer } from './fixtures/servers.js';

const packageDir = fileURLToPath(new URL('../../', import.meta.url));
const bin = join(packageDir, 'bin/stackbench-load.js');
const children = new Set<ChildProcess>();
const dir = mkdtempSync(join(tmpdir(), 'loadgen-cli-'));

function start(args: string[]) {
  const child = spawn(process.execPath, [bin, ...args], {
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (c) => (stdout += c));
  child.stderr!.on('data', (c) => (stderr += c));
  const done = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
    child.on('close', (code) => {
      children.delete(child);
      resolve({ code, stdout, stderr });
    }),
  );
  return { child, done };
}

after(() => {
  for (const child of children) {
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  rmSync(dir, { recursive: true, force: true });
});

describe('stackbench-load', () => {
  let server: TestServer;
  before(async () => {
    server = await httpServer(5);
  });
  after(() => server.close());

  it('README option table is generated from the option table', () => {
    const section = checkReadmeSection(
      join(packageDir, 'README.md'),
      'options',
      formatOptionsMarkdown(loadOptionTable),
    );
    assert.ok(section.current, 'README options out of date: run the tests with UPDATE_DOCS=1');
  });

  const bad: [string, string[], RegExp][] = [
    ['malformed --cycles', ['--cycles', '10:ten'], /bad token "ten"/],
    ['non-positive duration', ['--duration', '0'], /--duration \("0"\) must be greater than 0/],
    ['negative warm-up', ['--warmup=-1'], /--warmup \("-1"\) must be at least 0/],
    ['bad URL', ['--', 'localhost:8080'], /scheme localhost: is not supported|is not a URL/],
    ['no URL', [], /expected exactly one URL, got none/],
    [
      'output path not writable',
      ['-o', '/proc/version/x.json'],
      /--output \/proc\/version\/x.json: not writable/,
    ],
    [
      'think time with the autocannon engine',
      ['--engine', 'autocannon', '--sleep-time', '0.5'],
      /--sleep-time 0.5 is not supported by the autocannon engine .*use --engine native/,
    ],
    ['unknown engine', ['--engine', 'wrk'], /--engine.*"wrk".*native.*autocannon/],
    [
      '--rate 0',
      ['--rate', '0'],
      /rate "0": bad token "0": must be greater than 0; expected requests per second > 0 and <= 1000000/,
    ],
    [
      'both --rate and --cycles',
      ['--rate', '100', '--cycles', '10'],
      /rate: an open-loop run \(rates\) cannot also have cycles/,
    ],
    [
      '--connections without --rate',
      ['--connections', '5'],
      /connections: 5: applies to an open loop only; add --rate/,
    ],
    [
      '--rate with think time',
      ['-R', '50', '--sleep-time', '1'],
      /sleep-time: 1 is not valid with a rate/,
    ],
    [
      '--rate on the autocannon engine',
      ['--rate', '50', '--engine', 'autocannon'],
      /--rate 50 is not supported by the autocannon engine/,
    ],
    [
      'a duration past what a timer can hold',
      ['--duration', '3000000'],
      /--duration.*must be at most 2147483 seconds/,
    ],
    [
      'a timeout past what a timer can hold',
      ['--timeout', '2500000'],
      /--timeout.*must be at most 2147483 seconds/,
    ],
    [
      '--max-connections below --connections',
      ['--rate', '50', '--connections', '20', '--max-connections', '10'],
      /max-connections: 10 is not valid; expected a whole number in 20\.\.20000/,
    ],
  ];
  for (const [what, args, message] of bad) {
    it(`${what}: clear message, exit 2, no load sent`, async () => {
      const before = server.stats.requests;
      const withUrl = args.includes('--') || what === 'no URL' ? args : [...args, server.url];
      const { code, stderr, stdout } = await start(withUrl).done;
      assert.equal(code, 2, stderr);
      assert.match(stderr, message);
      assert.equal(stdout, '');
      assert.equal(server.stats.requests, before);
    });
  }

  it('unreachable host: preflight fails before any cycle, exit 2', async () => {
    const { code, stderr } = await start([
      '--duration',
      '1',
      `http://127.0.0.1:${await closedPort()}/`,
    ]).done;
    assert.equal(code, 2);
    assert.match(stderr, /preflight request to .* failed: connection refused/);
  });

  it('runs, writes the JSON document to --output and the cycle table to stderr', async () => {
    const out = join(dir, 'ok.json');
    writeFileSync(out, 'stale');
    const { code, stderr } = await start(['-c', '1:2', '-d', '0.5', '-o', out, server.url]).done;
    assert.equal(code, 0, stderr);
    const result = JSON.parse(readFileSync(out, 'utf8')) as LoadResult;
    assert.equal(result.schema, 'stackbench.load/3');
    assert.equal(result.complete, true);
    assert.deepEqual((result.options as LoadOptions).cycles, [1, 2]);
    assert.equal(result.cycles.length, 2);
    assert.match(stderr, /CUs\s+RPS\s+success %/);
  });

  it('--engine autocannon runs the cycles on autocannon and says so in the document', async () => {
    const { code, stdout, stderr } = await start([
      '--engine',
      'autocannon',
      '-d',
      '0.3',
      server.url,
    ]).done;
    assert.equal(code, 0, stderr);
    const result = JSON.parse(stdout) as LoadResult;
    assert.equal(result.driver.engine, 'autocannon');
    assert.equal(result.options.engine, 'autocannon');
    assert.ok(result.cycles[0]!.requests.succeeded > 0);
    assert.ok(result.cycles[0]!.autocannon);
  });

  it('--rate: an open loop, its document and its table', async () => {
    const { code, stdout, stderr } = await start([
      '--rate',
      '100:200',
      '--connections',
      '3',
      '-d',
      '0.5',
      server.url,
    ]).done;
    assert.equal(code, 0, stderr);
    const result = JSON.parse(stdout) as LoadResult;
    assert.equal(result.schema, 'stackbench.load/3');
    assert.ok('rates' in result.options);
    assert.deepEqual(result.options.rates, [100, 200]);
    assert.equal(result.options.maxConnections, 1000);
    assert.deepEqual(
      result.cycles.map((c) => [c.users, c.openLoop?.offeredRps]),
      [
        [3, 100],
        [3, 200],
      ],
    );
    assert.match(stderr, /rate\/s\s+achieved\/s\s+RPS/);
    assert.match(stderr, /coordinated omission corrected/);
  });

  it('Ctrl-C mid-run writes the cycles completed so far, marked incomplete (exit 130)', async () => {
    const out = join(dir, 'partial.json');
    const connections = server.stats.connections;
    const { child, done } = start(['-c', '2:2:2', '-d', '1', '-o', out, server.url]);
    // each cycle's users open fresh keep-alive connections: after the preflight's and the 2 of
    // the first cycle, a 4th connection is the second cycle starting
    while (server.stats.connections < connections + 4) await sleep(20);
    process.kill(child.pid!, 'SIGINT');
    const { code, stderr } = await done;
    assert.equal(code, 130, stderr);
    const result = JSON.parse(readFileSync(out, 'utf8')) as LoadResult;
    assert.equal(result.complete, false);
    assert.equal(result.cycles.length, 1);
    assert.match(stderr, /interrupted/);
    assert.match(stderr, /incomplete: 1 of 3 cycles ran/);
  });
});
