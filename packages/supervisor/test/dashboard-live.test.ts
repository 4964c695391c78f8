/**
 * `startDashboard` in-process against a stand-in supervisor (hand-fed events and snapshots): the
 * history a new page gets is bounded, commands reach `execute` only with the token, and a
 * dashboard that does not open its reads (exposed on purpose) wants the token for them too.
 */
import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, describe, it } from 'node:test';
import type { ControlRequest } from '../src/commands/index.js';
import { type Dashboard, startDashboard } from '../src/dashboard/server.js';
import { Hub, type SupervisorEvent } from '../src/events.js';
import type { StatsSnapshot } from '../src/stats/types.js';
import { postCommand, request } from './fixtures/dashboard-setup.js';
import { waitFor } from './helpers/daemon.js';

const token = 'f'.repeat(64);

function snapshot(time: number): StatsSnapshot {
  return {
    time,
    intervalMs: 100,
    supervisor: { pid: 1, cpu: 0, rssBytes: 0 },
    watchers: [
      {
        name: 'web',
        state: 'active',
        stopReason: '',
        numprocesses: 1,
        restarts: 0,
        processes: [
          {
            pid: 42,
            wid: 1,
            state: 'ready',
            cpu: 1,
            rssBytes: 1,
            ageSeconds: 1,
            requests: 0,
            inFlight: 0,
            errors: 0,
            requestsPerSecond: 0,
          },
        ],
        totals: {
          processes: 1,
          cpu: 1,
          rssBytes: 1,
          requests: 0,
          errors: 0,
          inFlight: 0,
          requestsPerSecond: 0,
        },
      },
    ],
    sockets: [],
  };
}

/** A stand-in supervisor: records the commands it is asked to run. */
function fakeSupervisor() {
  let resolveDone: () => void = () => {};
  const events = new Hub<SupervisorEvent>();
  const stats = new Hub<StatsSnapshot>();
  const executed: ControlRequest[] = [];
  return {
    token,
    done: new Promise<void>((resolve) => {
      resolveDone = resolve;
    }),
    config: { supervisor: { statsIntervalMs: 100 } },
    executed,
    events,
    stats,
    finish: () => resolveDone(),
    subscribe: (listener: (event: SupervisorEvent) => void) => events.subscribe(listener),
    subscribeStats: (listener: (s: StatsSnapshot) => void) => stats.subscribe(listener),
    async execute(command: ControlRequest) {
      executed.push(command);
      return { echoed: command.command };
    },
  };
}

/** The first SSE frame (`init`) of /api/events. */
function initFrame(
  port: number,
  path = '/api/events',
  headers: Record<string, string> = {},
): Promise<{ status: number; init?: Record<string, unknown[]> }> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path, headers }, (res) => {
      if (res.statusCode !== 200) {
        res.resume();
        return resolve({ status: res.statusCode ?? 0 });
      }
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        text += chunk;
        const data = /^event: init\ndata: (.*)\n\n/m.exec(text)?.[1];
        if (data) {
          req.destroy();
          resolve({ status: 200, init: JSON.parse(data) });
        }
      });
    });
    req.on('error', reject);
  });
}

describe('startDashboard in-process', () => {
  const source = fakeSupervisor();
  let dashboard: Dashboard;
  before(async () => {
    dashboard = await startDashboard(source, { host: '127.0.0.1', port: 0 }, { historySeconds: 1 });
  });
  after(() => dashboard.close());

  it('resolves port 0 and keeps a bounded history without per-process rows', async () => {
    assert.match(dashboard.url, /^http:\/\/127\.0\.0\.1:\d+\/$/);
    for (let i = 0; i < 25; i++) source.stats.publish(snapshot(1000 + i * 100));
    source.events.publish({ time: 1, watcher: 'web', type: 'watcher-start' });
    const { init } = await initFrame(dashboard.port);
    const history = init?.history as StatsSnapshot[];
    // 1 s of history at 100 ms per snapshot.
    assert.equal(history.length, 10);
    assert.equal(history[0]?.time, 1000 + 15 * 100);
    assert.deepEqual(history[0]?.watchers[0]?.processes, []);
    assert.ok(init, 'an init frame arrived');
    assert.equal((init.latest as unknown as StatsSnapshot).watchers[0]?.processes.length, 1);
    assert.equal(init?.events?.length, 1);
  });

  it('runs a command only with the token', async () => {
    const headers = { host: `127.0.0.1:${dashboard.port}` };
    const before = source.executed.length;
    assert.equal(
      (await postCommand(dashboard.port, { command: 'incr', watcher: 'web' })).status,
      403,
    );
    assert.equal(source.executed.length, before);
    const ok = await postCommand(
      dashboard.port,
      { command: 'incr', watcher: 'web', n: '2' },
      {
        authorization: `Bearer ${token}`,
      },
    );
    assert.equal(ok.status, 200);
    assert.deepEqual(source.executed.at(-1), { command: 'incr', watcher: 'web', n: 2 });
    assert.equal((await request(dashboard.port, '/api/stats', { headers })).status, 200);
  });

  it('closes when the supervisor is done', async () => {
    source.finish();
    await waitFor('the port to close', () =>
      request(dashboard.port, '/').then(
        () => false,
        (error: NodeJS.ErrnoException) => error.code === 'ECONNREFUSED',
      ),
    );
  });
});

describe('a dashboard whose reads are not open', () => {
  const source = fakeSupervisor();
  let dashboard: Dashboard;
  before(async () => {
    dashboard = await startDashboard(source, { host: '127.0.0.1', port: 0 }, { openReads: false });
  });
  after(() => dashboard.close());

  it('wants the token for the API and the event stream, not for the page', async () => {
    const host = { host: `127.0.0.1:${dashboard.port}` };
    assert.equal((await request(dashboard.port, '/', { headers: host })).status, 200);
    assert.equal((await request(dashboard.port, '/api/status', { headers: host })).status, 403);
    const authorized = { ...host, authorization: `Bearer ${token}` };
    assert.equal(
      (await request(dashboard.port, '/api/status', { headers: authorized })).status,
      200,
    );
    assert.equal((await initFrame(dashboard.port)).status, 403);
    // Only from the header: a token in the query string would end up in logs and history.
    assert.equal((await initFrame(dashboard.port, `/api/events?token=${token}`)).status, 403);
    const bearer = { authorization: `Bearer ${token}` };
    assert.equal((await initFrame(dashboard.port, '/api/events', bearer)).status, 200);
  });
});
