/**
 * Replacing workers under load drops nothing: HUP (every worker replaced, each old one retired
 * only once its successor listens) and --max-requests with jitter, with client loops running
 * throughout, over new connections and over keep-alive ones, in both schedules.
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { loadUntil } from './helpers/client.js';
import { PreforkProcess, pidApp } from './helpers/prefork-process.js';

const started: PreforkProcess[] = [];
after(() => {
  for (const prefork of started) prefork.end();
});

function start(args: string[]): PreforkProcess {
  const prefork = new PreforkProcess(['-b', '127.0.0.1:0', '--graceful-timeout', '5', ...args]);
  started.push(prefork);
  return prefork;
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('reload under load', () => {
  for (const schedule of ['rr', 'none'] as const) {
    for (const keepAlive of [false, true]) {
      const how = `${schedule}, ${keepAlive ? 'keep-alive' : 'new connections'}`;
      it(`HUP replaces every worker with zero failed requests (${how})`, async () => {
        const prefork = start(['-w', '2', '--schedule', schedule, pidApp]);
        const { port, pids } = await prefork.ready(2);
        // Load from before the HUP until both old workers are gone, and a little after.
        let sent = false;
        const replaced = (async () => {
          await pause(300);
          prefork.signal('SIGHUP');
          sent = true;
          await prefork.waitForLines(/Worker (\d+) listening at/, 4, 15_000);
          await prefork.waitForLines(/Worker exiting/, 2, 15_000);
        })();
        const path = '/sleep?ms=5';
        const result = await loadUntil(port, { until: replaced, loops: 4, keepAlive, path });
        await replaced;
        assert.ok(sent);
        assert.deepEqual(result.errors, [], `failures: ${result.errors.slice(0, 5).join('; ')}`);
        assert.ok(result.ok > 20, `only ${result.ok} requests`);
        const newPids = [...result.pids].filter((pid) => !pids.includes(pid));
        assert.ok(newPids.length > 0, 'new workers served part of the load');
      });
    }
  }

  for (const keepAlive of [false, true]) {
    const how = keepAlive ? 'keep-alive' : 'new connections';
    it(`--max-requests with jitter recycles workers with zero failed requests (${how})`, async () => {
      const prefork = start([
        '-w',
        '2',
        '-t',
        '2',
        '--max-requests',
        '100',
        '--max-requests-jitter',
        '50',
        pidApp,
      ]);
      const { port } = await prefork.ready(2);
      // Until two workers were replaced and their successors listen, then a little more.
      const recycled = (async () => {
        await prefork.waitForLines(/Autorestarting worker/, 2, 15_000);
        await prefork.waitForLines(/Worker (\d+) listening at/, 4, 15_000);
      })();
      const result = await loadUntil(port, { until: recycled, tailMs: 500, loops: 4, keepAlive });
      await recycled;
      assert.deepEqual(result.errors, [], `failures: ${result.errors.slice(0, 5).join('; ')}`);
      assert.ok(result.pids.size > 2, 'more than the first two workers served');
    });
  }
});
