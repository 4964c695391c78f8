/**
 * The supervisor with its main worker, the real stackbench-adapter (packages/adapter), next to
 * the Python worker: live scaling, and a rolling reload under load with zero failed requests.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Daemon, isAlive, packageDir, pythonWorker, settled, waitFor } from './helpers/daemon.js';
import { startLoad } from './helpers/load.js';

const adapterBin = join(packageDir, '../adapter/bin/stackbench-adapter.js');
/** How often an adapter reports its cumulative counts (protocol's `startReports` default). */
const REPORT_INTERVAL_MS = 1000;
const built = existsSync(join(packageDir, '../adapter/dist/src/bin'));

const config = () => `
[supervisor]
stats_interval = 0.5
check_delay = 0.3

[socket:web]
port = 0

[socket:py]
port = 0

[watcher:adapter]
cmd = ${process.execPath} ${adapterBin}
args = --fd $(circus.sockets.web) --backend node --graceful-timeout 5 @stackbench/app:helloApp
numprocesses = 2
use_sockets = true
readiness = ipc
graceful_timeout = 10
stdout = null

[watcher:python]
cmd = python3 ${pythonWorker} $(circus.sockets.py)
numprocesses = 1
use_sockets = true
`;

describe('stackbench-supervisor with stackbench-adapter workers', {
  skip: !built && 'packages/adapter is not built',
}, () => {
  let daemon: Daemon;
  /** The watcher's wanted process count now: tests work from it, not from earlier tests' doing. */
  const wanted = async (watcher: string) =>
    (await daemon.ctl.request({ command: 'status', watcher })).watchers[0]?.numprocesses ??
    Number.NaN;
  before(async () => {
    daemon = await Daemon.start(config);
    await waitFor(
      '2 ready adapters',
      async () => (await daemon.readyPids('adapter')).length === 2,
      15_000,
    );
  });
  after(() => daemon.stop());

  it('the adapters report ready over IPC and serve on the shared socket', async () => {
    const ready = daemon.events.filter((e) => e.type === 'ready' && e.watcher === 'adapter');
    assert.ok(ready.length >= 2 && ready.every((e) => e.type === 'ready' && e.via === 'ipc'));
    const port = await daemon.socketPort('web');
    const response = await fetch(`http://127.0.0.1:${port}/`);
    assert.equal(response.status, 200);
  });

  it('incr/decr through stackbench-ctl scale the adapters', async () => {
    const n = await wanted('adapter');
    assert.equal((await daemon.ctlCli('incr', 'adapter', '1')).code, 0);
    await waitFor(
      `${n + 1} adapters`,
      async () => (await daemon.readyPids('adapter')).length === n + 1,
      15_000,
    );
    assert.equal((await daemon.ctlCli('decr', 'adapter')).code, 0);
    await waitFor(
      `${n} adapters`,
      async () => (await daemon.readyPids('adapter')).length === n,
      15_000,
    );
  });

  it('reload under load: zero failed requests, all adapters replaced, every request counted', async () => {
    const port = await daemon.socketPort('web');
    // Counted so far, read once nothing is in flight: the adapters' cumulative reports settle.
    const total = async () =>
      (await daemon.freshStats('adapter')).watchers[0]?.totals.requests ?? Number.NaN;
    const before = await settled(total, REPORT_INTERVAL_MS);
    const old = await daemon.readyPids('adapter');
    const load = startLoad(port, { concurrency: 6 });
    await waitFor('requests under way', () => load.result.ok >= 20);
    const reload = await daemon.ctlCli('reload', 'adapter');
    const served = load.result.ok;
    await waitFor('requests served by the new adapters', () => load.result.ok >= served + 20);
    const counts = await load.stop();
    assert.equal(reload.code, 0, reload.stderr);
    assert.match(reload.stdout, /reloaded adapter: 2 replaced/);
    const now = await daemon.readyPids('adapter');
    assert.equal(now.length, 2);
    assert.ok(now.every((pid) => !old.includes(pid)));
    assert.ok(counts.ok > 40, `requests went through (${counts.ok})`);
    assert.equal(counts.failed, 0, counts.errors.slice(0, 5).join(', '));
    // The replaced adapters sent their final stats on exit: not one request is lost.
    const expected = before + counts.ok;
    const counted = await waitFor(
      `${expected} requests counted`,
      async () => {
        const value = await total();
        return value >= expected ? value : undefined;
      },
      15_000,
    ).catch(async () => total());
    assert.equal(counted, expected, `adapters report every request (${counted} of ${expected})`);
  });

  it('SIGKILL of the supervisor takes the adapters and the Python worker with it', async () => {
    const pids = [...(await daemon.readyPids('adapter')), ...(await daemon.readyPids('python'))];
    assert.equal(pids.length, (await wanted('adapter')) + (await wanted('python')));
    const exited = new Promise((r) => daemon.child.once('exit', r));
    process.kill(daemon.child.pid as number, 'SIGKILL');
    await exited;
    await waitFor('no worker left', () => pids.every((pid) => !isAlive(pid)), 5000);
  });
});
