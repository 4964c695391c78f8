/**
 * Issue 14 for prefork: workers die with a SIGKILLed master even with a blocked event loop (the
 * parent-death signal, not the IPC disconnect), the pid file never follows a planted symlink,
 * and seconds and counts are bounded.
 */
import assert from 'node:assert/strict';
import { lstatSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { cpuSecondsOf } from '@stackbench/host-probe';
import { blockApp, isAlive, PreforkProcess, pidApp, waitUntil } from './helpers/prefork-process.js';

const started: PreforkProcess[] = [];
const dir = mkdtempSync(join(tmpdir(), 'prefork-harden-'));
after(() => {
  for (const prefork of started) prefork.end();
  rmSync(dir, { recursive: true, force: true });
});

function start(args: string[]): PreforkProcess {
  const prefork = new PreforkProcess(args);
  started.push(prefork);
  return prefork;
}

describe('hardening: prefork', () => {
  it('a worker with a blocked event loop dies with its SIGKILLed master', async () => {
    const prefork = start(['-w', '1', '-b', '127.0.0.1:0', '-t', '0', blockApp]);
    const { port, pids } = await prefork.ready(1);
    const worker = pids[0] as number;
    // block the worker's loop for 20 s: it cannot see its IPC channel close
    const cpuBefore = cpuSecondsOf(worker) ?? 0;
    http
      .get({ host: '127.0.0.1', port, path: '/block?ms=20000', agent: false })
      .on('error', () => {});
    // the handler busy-waits: the worker burning CPU is the sign its loop is blocked
    await waitUntil(
      () => (cpuSecondsOf(worker) ?? 0) - cpuBefore >= 0.1,
      10_000,
      `worker ${worker} to block its loop`,
    );
    process.kill(prefork.pid, 'SIGKILL');
    await waitUntil(() => !isAlive(worker), 5000, `worker ${worker} to die with its master`);
  });

  it('writes the pid file without following a planted symlink', async () => {
    const victim = join(dir, 'victim');
    writeFileSync(victim, 'precious\n', { mode: 0o644 });
    const pidFile = join(dir, 'prefork.pid');
    symlinkSync(victim, pidFile);
    const prefork = start(['-w', '1', '-b', '127.0.0.1:0', '--pid', pidFile, pidApp]);
    await prefork.ready(1);
    assert.equal(readFileSync(victim, 'utf8'), 'precious\n');
    assert.ok(lstatSync(pidFile).isFile());
    assert.equal(readFileSync(pidFile, 'utf8').trim(), String(prefork.pid));
    prefork.signal('SIGTERM');
    await prefork.exited;
  });

  const bad: [string[], RegExp][] = [
    [
      ['--graceful-timeout', '3000000'],
      /--graceful-timeout \("3000000"\) must be at most 2147483 seconds/,
    ],
    [['--timeout', '1e9'], /--timeout \("1e9"\) must be at most 2147483 seconds/],
    [['--keep-alive', '99999999'], /--keep-alive .* must be at most 2147483 seconds/],
    [['-w', '5000'], /--workers \("5000"\) must be at most 1024/],
  ];
  for (const [args, expected] of bad) {
    it(`refuses ${args.join(' ')} with exit 2, naming the limit`, async () => {
      const prefork = start([...args, '-b', '127.0.0.1:0', pidApp]);
      const exit = await prefork.exited;
      assert.equal(exit.code, 2, prefork.log);
      assert.match(prefork.log, expected);
      assert.doesNotMatch(prefork.log, /Booting worker|TimeoutOverflowWarning/);
    });
  }
});
