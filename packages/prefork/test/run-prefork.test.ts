/**
 * What the running master gives its operator: the backlog really held by the listening socket in
 * both schedules (checked with `ss`), the pid file, the log file reopened on USR1, the USR2
 * summary, and the threads backend.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { get } from './helpers/client.js';
import { PreforkProcess, pidApp, waitUntil } from './helpers/prefork-process.js';

const started: PreforkProcess[] = [];
const dir = mkdtempSync(join(tmpdir(), 'prefork-test-'));
after(() => {
  for (const prefork of started) prefork.end();
  rmSync(dir, { recursive: true, force: true });
});

function start(args: string[]): PreforkProcess {
  const prefork = new PreforkProcess(['-b', '127.0.0.1:0', '--graceful-timeout', '2', ...args]);
  started.push(prefork);
  return prefork;
}

/** Send-Q of a listening TCP socket is its backlog in `ss -ltn`. */
function listenBacklog(port: number): number[] {
  const out = execFileSync('ss', ['-ltnH', `sport = :${port}`], { encoding: 'utf8' });
  return out
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((line) => Number(line.trim().split(/\s+/)[2]));
}

describe('running master', () => {
  for (const schedule of ['rr', 'none'] as const) {
    it(`the listening socket holds --backlog (${schedule})`, async () => {
      const prefork = start(['-w', '2', '--schedule', schedule, '--backlog', '1234', pidApp]);
      const { port } = await prefork.ready(2);
      // One listening socket, shared: the master's (rr) or one the master and workers share (none).
      assert.deepEqual(listenBacklog(port), [1234]);
    });
  }

  it('writes and removes the pid file; logs to a file reopened on USR1; summarises on USR2', async () => {
    const pidFile = join(dir, 'prefork.pid');
    const logFile = join(dir, 'prefork.log');
    const prefork = start(['-w', '2', '--pid', pidFile, '--log-file', logFile, pidApp]);
    await waitUntil(
      () => existsSync(logFile) && /listening at/.test(readFileSync(logFile, 'utf8')),
      10_000,
      'the log',
    );
    await waitUntil(
      () => (readFileSync(logFile, 'utf8').match(/Worker \d+ listening at/g) ?? []).length === 2,
      10_000,
      'two workers',
    );
    assert.equal(readFileSync(pidFile, 'utf8').trim(), String(prefork.pid));
    const port = Number(
      readFileSync(logFile, 'utf8').match(/Listening at: http:\/\/[^ ]+:(\d+)/)?.[1],
    );
    for (let i = 0; i < 10; i++) assert.equal((await get(port)).status, 200);

    renameSync(logFile, `${logFile}.1`);
    prefork.signal('SIGUSR1');
    await waitUntil(() => existsSync(logFile), 5000, 'the reopened log file');
    // Stats arrive about once per second: ask until they cover the 10 requests.
    await waitUntil(
      () => {
        prefork.signal('SIGUSR2');
        return /Summary: workers=2\/2 schedule=rr requests=10 /.test(readFileSync(logFile, 'utf8'));
      },
      10_000,
      'a summary counting 10 requests',
    );
    assert.match(readFileSync(logFile, 'utf8'), /per_worker: \d+=\d+ \d+=\d+/);
    assert.doesNotMatch(readFileSync(`${logFile}.1`, 'utf8'), /Summary/);

    prefork.signal('SIGTERM');
    assert.equal((await prefork.exited).code, 0);
    assert.equal(existsSync(pidFile), false, 'pid file removed');
  });

  it('USR2 totals count the workers that exited, from their final stats', async () => {
    const prefork = start(['-w', '2', pidApp]);
    const { port } = await prefork.ready(2);
    for (let i = 0; i < 10; i++) assert.equal((await get(port)).status, 200);
    // TTOU retires the oldest worker: it leaves with its final report, whatever it had sent.
    prefork.signal('SIGTTOU');
    await prefork.waitForLines(/Worker exiting \(pid: \d+\)/);
    const summary = /Summary: workers=1\/1 schedule=rr requests=10 in_flight=0 errors=0 exited=1 /;
    await waitUntil(
      () => {
        prefork.signal('SIGUSR2');
        return prefork.lines.some((line) => summary.test(line));
      },
      10_000,
      'a summary counting the 10 requests of both workers',
    );
  });

  it('runs the threads backend (-k threads)', async () => {
    const prefork = start(['-w', '2', '-k', 'threads', '--threads', '1', pidApp]);
    const { port } = await prefork.ready(2);
    const reply = await get(port);
    assert.equal(reply.status, 200);
    assert.equal(reply.body, 'ok');
  });
});
