/**
 * The dashboard served by a real `stackbench-supervisor` (`[supervisor] dashboard = …`): the page
 * and its scripts, the JSON API on the supervisor's own dispatcher, the SSE stream, the token,
 * Origin and Host rules, `stackbench-ctl dashboard`, and closing with the supervisor.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { dashboardConfig, freePort, postCommand, request } from './fixtures/dashboard-setup.js';
import { Daemon, run, supervisorBin, waitFor } from './helpers/daemon.js';

interface SseFrame {
  event: string;
  data: unknown;
}

/** Reads SSE frames from /api/events until `enough(frames)` or the timeout. */
function readEvents(
  port: number,
  enough: (frames: SseFrame[]) => boolean,
  timeoutMs = 8000,
): Promise<SseFrame[]> {
  return new Promise((resolve, reject) => {
    const frames: SseFrame[] = [];
    const req = http.get({ host: '127.0.0.1', port, path: '/api/events' }, (res) => {
      if (res.statusCode !== 200) reject(new Error(`status ${res.statusCode}`));
      let buffer = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buffer += chunk;
        let end = buffer.indexOf('\n\n');
        while (end >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const event = /^event: (.*)$/m.exec(block)?.[1];
          const data = /^data: (.*)$/m.exec(block)?.[1];
          if (event && data) frames.push({ event, data: JSON.parse(data) });
          end = buffer.indexOf('\n\n');
        }
        if (enough(frames)) {
          req.destroy();
          resolve(frames);
        }
      });
    });
    req.on('error', () => {});
    setTimeout(() => {
      req.destroy();
      reject(new Error(`SSE: not enough frames in ${timeoutMs} ms: ${frames.map((f) => f.event)}`));
    }, timeoutMs).unref();
  });
}

describe('dashboard served by stackbench-supervisor', () => {
  let daemon: Daemon;
  let port: number;
  let token: string;
  const host = () => ({ host: `127.0.0.1:${port}` });
  const wanted = async () =>
    (await daemon.ctl.request({ command: 'numprocesses', watcher: 'web' })).numprocesses;

  before(async () => {
    port = await freePort();
    daemon = await Daemon.start(dashboardConfig(port));
    token = readFileSync(join(daemon.dir, 'test.token'), 'utf8').trim();
    await waitFor(
      '2 ready workers',
      async () => (await daemon.readyPids('web')).length === 2,
      15_000,
    );
  });
  after(() => daemon.stop());

  it('serves the page, its scripts and the vega builds with a strict CSP', async () => {
    const page = await request(port, '/', { headers: host() });
    assert.equal(page.status, 200);
    assert.match(page.headers['content-type'] ?? '', /text\/html/);
    assert.match(page.body, /<script type="module" src="\/dashboard.js">/);
    const csp = String(page.headers['content-security-policy']);
    assert.match(csp, /script-src 'self';/);
    assert.doesNotMatch(csp, /unsafe-eval/);
    assert.match(csp, /frame-ancestors 'none'/);
    for (const path of [
      '/dashboard.js',
      '/charts.js',
      '/vendor/vega.min.js',
      '/vendor/vega-lite.min.js',
      '/vendor/vega-embed.min.js',
    ]) {
      const asset = await request(port, path, { headers: host() });
      assert.equal(asset.status, 200, path);
      assert.match(asset.headers['content-type'] ?? '', /javascript/, path);
      assert.ok(asset.body.length > 1000, path);
    }
    const missing = await request(port, '/../package.json', { headers: host() });
    assert.equal(missing.status, 404);
  });

  it('read-only API is open on loopback and answers from the supervisor', async () => {
    const status = await request(port, '/api/status', { headers: host() });
    assert.equal(status.status, 200);
    const body = JSON.parse(status.body);
    assert.equal(body.dashboard, `127.0.0.1:${port}`);
    assert.equal(body.watchers[0].name, 'web');
    assert.equal(body.watchers[0].running, 2);
    const stats = JSON.parse((await request(port, '/api/stats', { headers: host() })).body);
    assert.equal(stats.watchers[0].processes.length, 2);
  });

  it('refuses state changes without the token, from another Origin or Host (403), changing nothing', async () => {
    const before = await wanted();
    const eventsBefore = daemon.events.length;
    const incr = { command: 'incr', watcher: 'web' };
    const refused = [
      await postCommand(port, incr),
      await postCommand(port, incr, { authorization: `Bearer ${'0'.repeat(64)}` }),
      await postCommand(port, incr, { authorization: token }),
      await postCommand(port, incr, {
        authorization: `Bearer ${token}`,
        origin: 'http://evil.example',
      }),
      await postCommand(port, incr, {
        authorization: `Bearer ${token}`,
        host: `evil.example:${port}`,
      }),
    ];
    for (const [index, answer] of refused.entries()) {
      assert.equal(answer.status, 403, `request ${index}: ${answer.body}`);
      assert.equal(JSON.parse(answer.body).error.code, 'SUPERVISOR_DASHBOARD_FORBIDDEN');
    }
    // Reads are refused from a foreign Host too (DNS rebinding).
    const rebound = await request(port, '/api/status', {
      headers: { host: `evil.example:${port}` },
    });
    assert.equal(rebound.status, 403);
    assert.equal(await wanted(), before);
    assert.equal(
      daemon.events.slice(eventsBefore).filter((e) => e.type === 'numprocesses').length,
      0,
    );
  });

  it('with the token, commands go through the supervisor dispatcher', async () => {
    const auth = { authorization: `Bearer ${token}`, origin: `http://127.0.0.1:${port}` };
    const incr = await postCommand(port, { command: 'incr', watcher: 'web' }, auth);
    assert.equal(incr.status, 200, incr.body);
    assert.deepEqual(JSON.parse(incr.body), {
      ok: true,
      result: { watcher: 'web', numprocesses: 3 },
    });
    const ctl = await daemon.ctlCli('status');
    assert.match(ctl.stdout, /^web\s+active\s+3\s/m);
    const decr = await postCommand(port, { command: 'decr', watcher: 'web' }, auth);
    assert.equal(JSON.parse(decr.body).result.numprocesses, 2);
    const unknown = await postCommand(port, { command: 'nope' }, auth);
    assert.equal(unknown.status, 400);
    assert.equal(JSON.parse(unknown.body).error.code, 'SUPERVISOR_UNKNOWN_COMMAND');
    const badWatcher = await postCommand(port, { command: 'incr', watcher: 'db' }, auth);
    assert.equal(JSON.parse(badWatcher.body).error.code, 'SUPERVISOR_UNKNOWN_WATCHER');
    const stream = await postCommand(port, { command: 'events' }, auth);
    assert.equal(stream.status, 400);
    const form = await request(port, '/api/command', {
      method: 'POST',
      headers: { ...host(), ...auth, 'content-type': 'text/plain' },
      body: '{"command":"incr","watcher":"web"}',
    });
    assert.equal(form.status, 400);
    assert.equal((await request(port, '/api/command', { headers: host() })).status, 405);
    assert.equal(await wanted(), 2);
  });

  it('streams an init frame, then stats snapshots and events over SSE', async () => {
    const frames = await readEvents(port, (f) => f.filter((x) => x.event === 'stats').length >= 2);
    const init = frames[0] as { event: string; data: Record<string, unknown> };
    assert.equal(init.event, 'init');
    assert.ok(Array.isArray(init.data.history) && init.data.history.length > 0);
    assert.ok(Array.isArray(init.data.events) && init.data.events.some((e) => e.type === 'spawn'));
    assert.equal((init.data.status as { watchers: unknown[] }).watchers.length, 1);
    const stats = frames.filter((f) => f.event === 'stats').map((f) => f.data as { time: number });
    assert.ok((stats[1]?.time ?? 0) > (stats[0]?.time ?? 0));
  });

  it('`stackbench-ctl dashboard` prints the URL with the token', async () => {
    const plain = await daemon.ctlCli('dashboard');
    assert.equal(plain.code, 0, plain.stderr);
    assert.equal(plain.stdout.trim(), `http://127.0.0.1:${port}/#token=${token}`);
    const json = await daemon.ctlCli('--json', 'dashboard');
    assert.deepEqual(JSON.parse(json.stdout), { url: `http://127.0.0.1:${port}/#token=${token}` });
  });

  it('a dashboard port in use stops the start-up before any worker is spawned', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sb-dashboard-'));
    try {
      const config = join(dir, 'second.ini');
      writeFileSync(config, dashboardConfig(port)());
      const second = await run(supervisorBin, [config]);
      assert.equal(second.code, 1, second.stdout + second.stderr);
      assert.match(second.stderr, /dashboard = 127\.0\.0\.1:\d+: cannot listen \(EADDRINUSE\)/);
      assert.doesNotMatch(second.stdout, / spawn /);
      assert.ok(!existsSync(join(dir, 'second.token')), 'the token file is removed');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('closes with the supervisor, even with a page connected', async () => {
    const connected = new Promise<http.IncomingMessage>((resolve) => {
      http.get({ host: '127.0.0.1', port, path: '/api/events' }, resolve).on('error', () => {});
    });
    const sse = await connected;
    const ended = new Promise<void>((resolve) => sse.once('close', resolve));
    sse.resume();
    const exited = new Promise<number | null>((resolve) => daemon.child.once('exit', resolve));
    assert.equal((await daemon.ctlCli('quit')).code, 0);
    assert.equal(await exited, 0);
    await ended;
    await assert.rejects(request(port, '/', { headers: host() }), /ECONNREFUSED/);
  });
});
