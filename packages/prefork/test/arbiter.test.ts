/**
 * The arbiter with real processes: requests reach every worker, dead and timed-out workers are
 * replaced, TTIN/TTOU change the count, and no worker outlives a SIGKILLed master.
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { get } from './helpers/client.js';
import { blockApp, isAlive, PreforkProcess, pidApp, waitUntil } from './helpers/prefork-process.js';

const started: PreforkProcess[] = [];
after(() => {
  for (const prefork of started) prefork.end();
});

function start(args: string[], env: NodeJS.ProcessEnv = {}): PreforkProcess {
  const prefork = new PreforkProcess(
    ['-b', '127.0.0.1:0', '--graceful-timeout', '2', ...args],
    env,
  );
  started.push(prefork);
  return prefork;
}

describe('arbiter', () => {
  for (const schedule of ['rr', 'none'] as const) {
    it(`serves requests from every worker (--schedule ${schedule})`, async () => {
      const prefork = start(['-w', '2', '--schedule', schedule, pidApp]);
      const { port, pids } = await prefork.ready(2);
      const seen = new Set<number>();
      // rr alternates; with none the kernel picks, so allow many tries before giving up.
      for (let i = 0; i < 200 && seen.size < 2; i++) seen.add((await get(port)).pid);
      assert.deepEqual([...seen].sort(), [...pids].sort());
      assert.match(prefork.log, new RegExp(`schedule: ${schedule}`));
      prefork.signal('SIGTERM');
      assert.deepEqual(await prefork.exited, { code: 0, signal: null });
      assert.ok(
        pids.every((pid) => !isAlive(pid)),
        'workers gone after TERM',
      );
    });
  }

  it('replaces a worker killed with SIGKILL at once', async () => {
    const prefork = start(['-w', '2', pidApp]);
    const { port, pids } = await prefork.ready(2);
    const victim = pids[0] as number;
    process.kill(victim, 'SIGKILL');
    const [line] = await prefork.waitForLines(/Booting worker with pid: (\d+)/, 3);
    await prefork.waitForLines(/Worker (\d+) listening at/, 3);
    assert.match(prefork.log, new RegExp(`Worker \\(pid:${victim}\\) was sent SIGKILL`));
    const replacement = Number(
      prefork.lines.filter((l) => /Booting worker/.test(l))[2]?.match(/(\d+)$/)?.[1],
    );
    assert.ok(line && replacement !== victim && isAlive(replacement));
    assert.equal((await get(port)).status, 200);
  });

  it('kills a worker whose event loop is blocked longer than -t and replaces it; the other keeps serving', async () => {
    const prefork = start(['-w', '2', '-t', '1', blockApp]);
    const { port, pids } = await prefork.ready(2);
    // The blocked request never gets an answer: its worker is killed mid-request.
    const blocked = get(port, '/block?ms=8000').catch((error: Error) => error);
    const [timeout] = await prefork.waitForLines(/WORKER TIMEOUT \(pid:(\d+)\)/, 1, 6000);
    const victim = Number(timeout?.[1]);
    assert.ok(pids.includes(victim));
    const survivor = pids.find((pid) => pid !== victim);
    // While the victim was blocked and being replaced, the other worker answered.
    const during = await get(port);
    assert.equal(during.status, 200);
    assert.ok(during.pid === survivor || !pids.includes(during.pid));
    assert.ok((await blocked) instanceof Error, 'the blocked request failed with its worker');
    await prefork.waitForLines(/Worker (\d+) listening at/, 3);
    await waitUntil(() => !isAlive(victim), 2000, 'the timed-out worker to be gone');
    assert.equal(
      prefork.lines.filter((l) => /WORKER TIMEOUT/.test(l)).length,
      1,
      'only the blocked one',
    );
  });

  it('-t 0 disables the timeout', async () => {
    const prefork = start(['-w', '1', '-t', '0', blockApp]);
    const { port, pids } = await prefork.ready(1);
    assert.equal((await get(port, '/block?ms=1000')).pid, pids[0]);
    assert.doesNotMatch(prefork.log, /WORKER TIMEOUT/);
  });

  it('TTIN adds a worker and TTOU removes the oldest, never below one', async () => {
    const prefork = start(['-w', '2', pidApp]);
    const { pids } = await prefork.ready(2);
    prefork.signal('SIGTTIN');
    const ready = await prefork.waitForLines(/Worker (\d+) listening at/, 3);
    const added = Number(ready[2]?.[1]);
    // One at a time: two identical signals sent back to back may arrive as one.
    prefork.signal('SIGTTOU');
    await prefork.waitForLines(/ttou; workers: 2/);
    prefork.signal('SIGTTOU');
    await prefork.waitForLines(/ttou; workers: 1/);
    // The master's own record of the exits (a process can be gone before the master has seen
    // its exit event, and the summary reports the master's view).
    await prefork.waitForLines(/Worker exiting \(pid: (\d+)\)/, 2);
    await waitUntil(() => pids.every((pid) => !isAlive(pid)), 3000, 'the two oldest to exit');
    assert.ok(isAlive(added), 'the newest worker is kept');
    prefork.signal('SIGTTOU');
    prefork.signal('SIGUSR2');
    const [summary] = await prefork.waitForLines(/Summary: workers=(\d+)\/(\d+)/);
    assert.equal(summary?.[1], '1');
    assert.equal(summary?.[2], '1');
    assert.ok(isAlive(added));
  });

  it('leaves no worker behind when the master is SIGKILLed', async () => {
    const prefork = start(['-w', '2', pidApp]);
    const { pids } = await prefork.ready(2);
    prefork.signal('SIGKILL');
    await prefork.exited;
    await waitUntil(() => pids.every((pid) => !isAlive(pid)), 5000, 'workers to exit');
  });
});
