/**
 * Watcher behaviour in-process: graceful-timeout escalation to SIGKILL, singleton, stdout to a
 * file with $(circus.wid), respawn = false, a Unix [socket:*] with its umask, warmup_delay.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parseConfig } from '../src/config/load.js';
import { WatcherStateError } from '../src/errors.js';
import type { SupervisorEvent } from '../src/events.js';
import { Supervisor } from '../src/supervisor.js';
import { nodeWorker, waitFor } from './helpers/daemon.js';

describe('watchers in-process', () => {
  let dir: string;
  let supervisor: Supervisor;
  const events: SupervisorEvent[] = [];

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sb-watcher-'));
    const config = parseConfig(
      `[supervisor]
check_delay = 0.2

[socket:unix]
path = web.sock
umask = 077

[watcher:stubborn]
cmd = python3 -c "import signal, time\\; signal.signal(signal.SIGTERM, signal.SIG_IGN)\\; print('up', flush=True)\\; time.sleep(60)"
graceful_timeout = 0.5
singleton = true
stdout = stubborn.log

[watcher:echo]
cmd = /bin/echo hello $(circus.wid)
numprocesses = 2
respawn = false
stdout = echo.log

[watcher:unix]
cmd = ${process.execPath} ${nodeWorker} $(circus.sockets.unix)
use_sockets = true
readiness = ipc
numprocesses = 2
warmup_delay = 0.3
`,
      join(dir, 'w.ini'),
    );
    supervisor = await Supervisor.start(config, { onEvent: (e) => events.push(e) });
  });
  after(async () => {
    await supervisor.shutdown();
    rmSync(dir, { recursive: true, force: true });
  });

  it('escalates to SIGKILL after graceful_timeout when stop_signal is ignored', async () => {
    // "up" is printed once SIGTERM is ignored.
    await waitFor('stubborn to ignore SIGTERM', () => {
      try {
        return readFileSync(join(dir, 'stubborn.log'), 'utf8').includes('up');
      } catch {
        return false;
      }
    });
    const begin = Date.now();
    await supervisor.execute({ command: 'stop', watcher: 'stubborn' });
    const took = Date.now() - begin;
    const exit = events.find((e) => e.type === 'exit' && e.watcher === 'stubborn');
    assert.ok(exit?.type === 'exit' && exit.signal === 'SIGKILL' && exit.expected);
    assert.ok(took >= 450, `waited the graceful timeout (${took} ms)`);
  });

  it('a singleton refuses incr beyond 1', async () => {
    await assert.rejects(
      supervisor.execute({ command: 'incr', watcher: 'stubborn', n: 1 }),
      (error: unknown) => error instanceof WatcherStateError && /singleton/.test(error.message),
    );
  });

  it('writes stdout to the file, substitutes $(circus.wid), and does not respawn with respawn = false', async () => {
    await waitFor(
      'two echo exits',
      () => events.filter((e) => e.type === 'exit' && e.watcher === 'echo').length === 2,
    );
    const lines = readFileSync(join(dir, 'echo.log'), 'utf8').trim().split('\n').sort();
    assert.deepEqual(lines, ['hello 1', 'hello 2']);
    const status = await supervisor.execute({ command: 'status', watcher: 'echo' });
    assert.equal(status.watchers[0]?.running, 0);
    assert.equal(events.filter((e) => e.type === 'spawn' && e.watcher === 'echo').length, 2);
  });

  it('serves on a Unix socket created with its umask, spawns warmup_delay apart', async () => {
    await waitFor(
      '2 unix workers ready',
      () => events.filter((e) => e.type === 'ready' && e.watcher === 'unix').length === 2,
    );
    const path = join(dir, 'web.sock');
    assert.equal(statSync(path).mode & 0o777, 0o700);
    const { request } = await import('node:http');
    const body = await new Promise<string>((resolve, reject) => {
      request({ socketPath: path, path: '/' }, (res) => {
        let text = '';
        res.on('data', (chunk) => {
          text += chunk;
        });
        res.on('end', () => resolve(text));
      })
        .on('error', reject)
        .end();
    });
    assert.match(body, /hello from \d+/);
    const spawns = events.filter((e) => e.type === 'spawn' && e.watcher === 'unix');
    assert.ok(
      (spawns[1]?.time ?? 0) - (spawns[0]?.time ?? 0) >= 250,
      'warmup_delay between spawns',
    );
    const stats = await supervisor.sampleStats();
    assert.equal(stats.sockets[0]?.acceptQueue, 0, 'the Unix socket queue is read too');
  });
});
