/**
 * The supervisor in-process (as the dashboard will use it): `execute`, `subscribe`,
 * `subscribeStats`, and the loopback TCP endpoint, which requires the token from the token file.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parseConfig } from '../src/config/load.js';
import { ControlClient } from '../src/control/client.js';
import { RemoteError } from '../src/errors.js';
import type { SupervisorEvent } from '../src/events.js';
import { Supervisor } from '../src/supervisor.js';
import { waitFor } from './helpers/daemon.js';

describe('Supervisor in-process with a TCP endpoint', () => {
  let dir: string;
  let supervisor: Supervisor;
  const events: SupervisorEvent[] = [];

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sb-control-'));
    const config = parseConfig(
      `[supervisor]
endpoint = tcp://127.0.0.1:0
stats_interval = 0.2
check_delay = 0.2
dashboard = 127.0.0.1:0

[watcher:sleepers]
cmd = /bin/sleep 30
numprocesses = 2
singleton = false
`,
      join(dir, 'tcp.ini'),
    );
    supervisor = await Supervisor.start(config, { onEvent: (e) => events.push(e) });
  });
  after(async () => {
    await supervisor.shutdown();
    rmSync(dir, { recursive: true, force: true });
  });

  it('executes typed requests and publishes events in-process', async () => {
    await waitFor('2 ready', () => events.filter((e) => e.type === 'ready').length === 2);
    const result = await supervisor.execute({ command: 'incr', watcher: 'sleepers', n: 1 });
    assert.deepEqual(result, { watcher: 'sleepers', numprocesses: 3 });
    await waitFor('3 ready', () => events.filter((e) => e.type === 'ready').length === 3);
    const status = await supervisor.execute({ command: 'status' });
    // the bound addresses, not the configured port 0
    const dashboardPort = Number(status.dashboard?.split(':').pop());
    assert.match(status.dashboard ?? '', /^127\.0\.0\.1:\d+$/);
    assert.ok(dashboardPort > 0, status.dashboard ?? 'no dashboard');
    const page = await fetch(`http://${status.dashboard}/`);
    assert.equal(page.status, 200, 'the dashboard answers at the address status gives');
    await page.body?.cancel();
    assert.equal(status.endpoint, supervisor.endpoint);
    assert.ok(Number(status.endpoint.split(':').pop()) > 0, status.endpoint);
    assert.equal(status.tokenFile, join(dir, 'tcp.token'));
  });

  it('publishes a stats snapshot every interval', async () => {
    const snapshots: number[] = [];
    const unsubscribe = supervisor.subscribeStats((s) =>
      snapshots.push(s.watchers[0]?.totals.processes ?? -1),
    );
    await waitFor('2 snapshots', () => snapshots.length >= 2, 3000);
    unsubscribe();
    assert.equal(snapshots.at(-1), 3);
  });

  it('the TCP endpoint answers with the token and refuses without it', async () => {
    const endpoint = supervisor.endpoint;
    const port = Number(endpoint.split(':').pop());
    assert.ok(endpoint.startsWith('tcp://127.0.0.1:') && port > 0);
    const token = readFileSync(join(dir, 'tcp.token'), 'utf8').trim();
    const good = await ControlClient.connect({ kind: 'tcp', host: '127.0.0.1', port }, { token });
    const bad = await ControlClient.connect(
      { kind: 'tcp', host: '127.0.0.1', port },
      { token: 'x'.repeat(64) },
    );
    try {
      const list = await good.request({ command: 'list' });
      assert.deepEqual(list, { watchers: ['sleepers'] });
      await assert.rejects(bad.request({ command: 'list' }), (error: unknown) => {
        assert.ok(error instanceof RemoteError);
        assert.equal(error.code, 'SUPERVISOR_TOKEN');
        return true;
      });
    } finally {
      good.close();
      bad.close();
    }
  });

  it('clients that vanish mid-stream do not take the supervisor down', async () => {
    const net = await import('node:net');
    const port = Number(supervisor.endpoint.split(':').pop());
    const token = readFileSync(join(dir, 'tcp.token'), 'utf8').trim();
    for (let i = 0; i < 5; i++) {
      const socket = net.connect(port, '127.0.0.1');
      socket.on('error', () => {});
      await new Promise((r) => socket.once('connect', r));
      socket.write(`${JSON.stringify({ command: 'events', token })}\n`);
      socket.write(`${JSON.stringify({ command: 'stats', follow: true, token })}\n`);
      await new Promise((r) => setTimeout(r, 20));
      socket.resetAndDestroy();
    }
    // Events and snapshots now go to sockets that are gone.
    await supervisor.execute({ command: 'incr', watcher: 'sleepers', n: 1 });
    await supervisor.execute({ command: 'decr', watcher: 'sleepers', n: 1 });
    // events and a stats snapshot have gone out to the vanished sockets by the next snapshot
    await new Promise<void>((resolve) => {
      const unsubscribe = supervisor.subscribeStats(() => {
        unsubscribe();
        resolve();
      });
    });
    const list = await supervisor.execute({ command: 'list', watcher: 'sleepers' });
    assert.ok('pids' in list && list.pids.length === 3);
  });

  it('streams events over the endpoint', async () => {
    const port = Number(supervisor.endpoint.split(':').pop());
    const token = readFileSync(join(dir, 'tcp.token'), 'utf8').trim();
    const client = await ControlClient.connect({ kind: 'tcp', host: '127.0.0.1', port }, { token });
    const seen: string[] = [];
    try {
      await client.stream({ command: 'events' }, (item) => {
        if ('event' in item) seen.push(item.event.type);
      });
      await client.request({ command: 'decr', watcher: 'sleepers', n: 2 });
      await waitFor(
        'numprocesses and exit events',
        () => seen.includes('numprocesses') && seen.filter((t) => t === 'exit').length === 2,
      );
    } finally {
      client.close();
    }
  });
});
