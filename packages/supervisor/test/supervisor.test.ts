/**
 * The daemon end to end with real processes: a Node worker that reports over IPC and a Python
 * worker that knows nothing of the supervisor, driven through the control endpoint and the CLI.
 */
import assert from 'node:assert/strict';
import net from 'node:net';
import { after, before, describe, it } from 'node:test';
import { Daemon, isAlive, nodeWorker, pythonWorker, settled, waitFor } from './helpers/daemon.js';
import { startLoad } from './helpers/load.js';

/** The fixture node worker's report interval (test/fixtures/node-worker.ts). */
const NODE_WORKER_REPORT_MS = 200;

const config = () => `
[supervisor]
stats_interval = 0.5
check_delay = 0.3

[socket:web]
port = 0

[socket:py]
port = 0
backlog = 64

[watcher:node]
cmd = ${process.execPath} ${nodeWorker} $(circus.sockets.web)
numprocesses = 2
use_sockets = true
readiness = ipc
graceful_timeout = 5

[watcher:python]
cmd = python3 ${pythonWorker} $(circus.sockets.py)
numprocesses = 2
use_sockets = true
stop_signal = INT

[watcher:crash]
cmd = /bin/false
numprocesses = 1
max_retry = 3
flapping_window = 10
`;

describe('stackbench-supervisor with a Node and a Python watcher', () => {
  let daemon: Daemon;
  /** The watcher's wanted process count now: tests work from it, not from earlier tests' doing. */
  const wanted = async (watcher: string) =>
    (await daemon.ctl.request({ command: 'status', watcher })).watchers[0]?.numprocesses ??
    Number.NaN;
  before(async () => {
    daemon = await Daemon.start(config);
    await waitFor('4 ready workers', async () => {
      const status = await daemon.ctl.request({ command: 'status' });
      return status.watchers.filter((w) => w.name !== 'crash').every((w) => w.ready === 2);
    });
  });
  after(() => daemon.stop());

  it('serves HTTP from both watchers on the sockets it bound', async () => {
    for (const [socket, body] of [
      ['web', /hello from \d+/],
      ['py', /hello from python/],
    ] as const) {
      const port = await daemon.socketPort(socket);
      const response = await fetch(`http://127.0.0.1:${port}/`);
      assert.match(await response.text(), body);
    }
  });

  it('a crashing command flaps: the watcher stops with a reason, the supervisor stays up', async () => {
    // the watcher's state, not the event: /bin/false can flap before the test's event stream
    // is subscribed (the supervisor starts its watchers before its control endpoint answers)
    const status = await waitFor('the crash watcher stopped', async () => {
      const s = await daemon.ctl.request({ command: 'status', watcher: 'crash' });
      return s.watchers[0]?.state === 'stopped' ? s : undefined;
    });
    assert.match(status.watchers[0]?.stopReason ?? '', /flapping: 3 deaths within 10 s/);
    const spawns = daemon.events.filter((e) => e.type === 'spawn' && e.watcher === 'crash').length;
    // two stats snapshots later the supervisor has run its checks (check_delay < interval) again
    await daemon.freshStats();
    await daemon.freshStats();
    assert.equal(
      daemon.events.filter((e) => e.type === 'spawn' && e.watcher === 'crash').length,
      spawns,
      'a flapping watcher is not restarted by itself',
    );
  });

  it('incr and decr through stackbench-ctl change the live process count', async () => {
    const n = await wanted('python');
    const eventsBefore = daemon.events.length;
    const incr = await daemon.ctlCli('incr', 'python', '2');
    assert.equal(incr.code, 0, incr.stderr);
    assert.match(incr.stdout, new RegExp(`python: ${n + 2}`));
    await waitFor(
      `${n + 2} python workers`,
      async () => (await daemon.readyPids('python')).length === n + 2,
    );
    const decr = await daemon.ctlCli('--json', 'decr', 'python', '3');
    assert.equal(decr.code, 0, decr.stderr);
    assert.deepEqual(JSON.parse(decr.stdout), { watcher: 'python', numprocesses: n - 1 });
    await waitFor(`${n - 1} python workers`, async () => {
      const list = await daemon.ctl.request({ command: 'list', watcher: 'python' });
      return 'pids' in list && list.pids.length === n - 1;
    });
    const changes = daemon.events
      .slice(eventsBefore)
      .filter((e) => e.type === 'numprocesses' && e.watcher === 'python');
    assert.deepEqual(
      changes.map((e) => (e.type === 'numprocesses' ? [e.from, e.to] : [])),
      [
        [n, n + 2],
        [n + 2, n - 1],
      ],
    );
  });

  it('kill -9 of a worker: the exit is seen at once and a new worker is spawned', async () => {
    const [victim] = await daemon.readyPids('python');
    assert.ok(victim);
    const restarts = async () =>
      (await daemon.ctl.request({ command: 'status', watcher: 'python' })).watchers[0]?.restarts;
    const restartsBefore = (await restarts()) ?? Number.NaN;
    process.kill(victim, 'SIGKILL');
    const exit = await daemon.waitForEvent(
      'exit event',
      (e) => e.type === 'exit' && e.pid === victim,
    );
    assert.ok(exit.type === 'exit' && exit.signal === 'SIGKILL' && !exit.expected);
    const n = await wanted('python');
    await waitFor('a replacement', async () => {
      const pids = await daemon.readyPids('python');
      return pids.length === n && !pids.includes(victim);
    });
    assert.equal(await restarts(), restartsBefore + 1);
  });

  it('a stopped watcher stays stopped until start', async () => {
    await daemon.ctl.request({ command: 'stop', watcher: 'python' });
    let status = await daemon.ctl.request({ command: 'status', watcher: 'python' });
    assert.equal(status.watchers[0]?.running, 0);
    // two stats snapshots later the supervisor has run its checks (check_delay < interval) again
    await daemon.freshStats();
    await daemon.freshStats();
    status = await daemon.ctl.request({ command: 'status', watcher: 'python' });
    assert.equal(status.watchers[0]?.running, 0);
    await daemon.ctl.request({ command: 'start', watcher: 'python' });
    const n = await wanted('python');
    await waitFor('python back', async () => (await daemon.readyPids('python')).length === n);
  });

  it('reload under load: every old worker replaced, zero failed requests', async () => {
    const port = await daemon.socketPort('web');
    const before = await daemon.readyPids('node');
    const load = startLoad(port, { concurrency: 4, path: '/?delay=20' });
    await waitFor('requests under way', () => load.result.ok >= 10);
    const result = await daemon.ctl.request({ command: 'reload', watcher: 'node' });
    const served = load.result.ok;
    await waitFor('requests served by the new workers', () => load.result.ok >= served + 10);
    const counts = await load.stop();
    assert.deepEqual(result, { watchers: [{ name: 'node', replaced: 2 }] });
    const afterPids = await daemon.readyPids('node');
    assert.equal(afterPids.length, 2);
    assert.ok(
      afterPids.every((pid) => !before.includes(pid)),
      'all workers are new',
    );
    assert.ok(counts.ok > 20, `requests went through during the reload (${counts.ok})`);
    assert.equal(counts.failed, 0, `failures: ${counts.errors.slice(0, 5).join(', ')}`);
    // Rolling: each old worker got its stop only after one more new worker was ready.
    const startAt = daemon.events.findIndex((e) => e.type === 'reload-start');
    const endAt = daemon.events.findIndex((e) => e.type === 'reload-end');
    assert.ok(startAt >= 0 && endAt > startAt);
    let readyNew = 0;
    let oldExits = 0;
    for (const event of daemon.events.slice(startAt, endAt + 1)) {
      if (event.type === 'ready') readyNew++;
      if (event.type === 'exit' && before.includes(event.pid)) {
        oldExits++;
        assert.ok(
          readyNew >= oldExits,
          `old ${event.pid} stopped before its replacement was ready`,
        );
      }
    }
    assert.equal(oldExits, 2);
    const end = daemon.events[endAt];
    assert.ok(end?.type === 'reload-end' && end.ok);
  });

  it('counts every real request from the workers IPC stats, and requests/s', async () => {
    const port = await daemon.socketPort('web');
    // each reading a snapshot taken after it was asked for (`stats` answers the latest one)
    const totalRequests = async () =>
      (await daemon.freshStats('node')).watchers[0]?.totals.requests ?? 0;
    const before = await settled(totalRequests, NODE_WORKER_REPORT_MS);
    const started = Date.now();
    const load = startLoad(port, { concurrency: 4 });
    const snapshot = await waitFor('a snapshot taken under load with requests/s', async () => {
      const stats = await daemon.ctl.request({ command: 'stats', watcher: 'node' });
      const rps = stats.watchers[0]?.totals.requestsPerSecond ?? 0;
      return stats.time > started + 600 && rps > 0 ? stats : undefined;
    });
    const counts = await load.stop();
    assert.ok(counts.ok > 0 && counts.failed === 0);
    await waitFor(
      `the totals to count exactly the ${counts.ok} requests sent`,
      async () => (await totalRequests()) - before === counts.ok,
    );
    assert.ok((snapshot.sockets[0]?.requestsPerSecond ?? 0) > 0);
    assert.ok(snapshot.supervisor.rssBytes > 1e6);
    for (const p of snapshot.watchers[0]?.processes ?? []) {
      assert.ok(p.rssBytes > 1e6 && p.ageSeconds >= 0 && p.cpu >= 0);
    }
  });

  it('the accept queue rises while the workers are stopped with SIGSTOP', async () => {
    const port = await daemon.socketPort('py');
    const pids = await daemon.readyPids('python');
    const sockets: net.Socket[] = [];
    await daemon.ctl.request({ command: 'signal', watcher: 'python', signal: 'SIGSTOP' });
    try {
      for (let i = 0; i < 8; i++) {
        const socket = net.connect(port, '127.0.0.1');
        socket.on('error', () => {});
        sockets.push(socket);
      }
      const queued = await waitFor('8 queued connections', async () => {
        const stats = await daemon.ctl.request({ command: 'stats' });
        const depth = stats.sockets.find((s) => s.name === 'py')?.acceptQueue ?? 0;
        return depth >= 8 ? depth : undefined;
      });
      assert.ok(queued >= 8);
    } finally {
      for (const pid of pids) process.kill(pid, 'SIGCONT');
      for (const socket of sockets) socket.destroy();
    }
    await waitFor('the queue drains', async () => {
      const stats = await daemon.ctl.request({ command: 'stats' });
      return stats.sockets.find((s) => s.name === 'py')?.acceptQueue === 0;
    });
  });

  it('SIGKILL of the supervisor: no worker is left a few seconds later', async () => {
    const list = await Promise.all(
      ['node', 'python'].map((watcher) => daemon.ctl.request({ command: 'list', watcher })),
    );
    const pids = list.flatMap((l) => ('pids' in l ? l.pids : []));
    assert.ok(pids.length >= 3 && pids.every(isAlive));
    const exited = new Promise((r) => daemon.child.once('exit', r));
    process.kill(daemon.child.pid as number, 'SIGKILL');
    await exited;
    await waitFor('every worker gone', () => pids.every((pid) => !isAlive(pid)), 5000);
  });
});
