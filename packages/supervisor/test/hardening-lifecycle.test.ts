/**
 * Issue 14, lifecycle findings: SIGTERM stops accepting at once (no queued connection reset
 * seconds later), and every seconds value of the INI is bounded by what a timer can hold.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { Daemon, nodeWorker, run, supervisorBin, waitFor } from './helpers/daemon.js';

function connectOutcome(port: number): Promise<'refused' | 'connected'> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve('connected');
    });
    socket.once('error', () => resolve('refused'));
  });
}

describe('hardening: supervisor lifecycle', () => {
  it('on SIGTERM closes the listening socket before draining; the in-flight request completes', async () => {
    const daemon = await Daemon.start(
      (dir) =>
        `[supervisor]\nendpoint = ${dir}/test.sock\ncheck_delay = 0.2\n\n[socket:web]\nport = 0\n\n[watcher:web]\ncmd = ${process.execPath} ${nodeWorker} $(circus.sockets.web)\nnumprocesses = 1\nuse_sockets = true\ngraceful_timeout = 20\nstdout = null\n`,
    );
    try {
      await daemon.waitForEvent('ready', (e) => e.type === 'ready');
      const port = await daemon.socketPort('web');
      // a request that holds the worker in its graceful drain for 4 s
      const slow = new Promise<number>((resolve, reject) => {
        http
          .get({ host: '127.0.0.1', port, path: '/?delay=4000', agent: false }, (res) => {
            res.resume();
            res.on('end', () => resolve(res.statusCode ?? 0));
          })
          .on('error', reject);
      });
      await waitFor('the slow request in flight', async () => {
        const stats = await daemon.freshStats('web');
        return (stats.watchers[0]?.processes[0]?.inFlight ?? 0) > 0;
      });
      process.kill(daemon.child.pid as number, 'SIGTERM');
      // Before the fix the supervisor's copy kept the socket listening until the worker exited:
      // connections were queued, then reset. Now they are refused while the request drains.
      const outcome = await waitFor(
        'connections to be refused',
        async () => ((await connectOutcome(port)) === 'refused' ? 'refused' : undefined),
        3000,
      );
      assert.equal(outcome, 'refused');
      assert.equal(await slow, 200);
    } finally {
      await daemon.stop();
    }
  });

  it('refuses seconds a timer cannot hold, naming the key and the limit (exit 2)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sb-bounds-'));
    try {
      const bad: [string, string][] = [
        ['[watcher:web]', 'graceful_timeout = 3000000'],
        ['[watcher:web]', 'ready_timeout = 1e12'],
        ['[watcher:web]', 'flapping_window = 9999999'],
        ['[watcher:web]', 'numprocesses = 5000'],
        ['[supervisor]', 'stats_interval = 3000000'],
        ['[supervisor]', 'check_delay = Infinity'],
      ];
      for (const [section, line] of bad) {
        const file = join(dir, 'bad.ini');
        const body = `[supervisor]\n${section === '[supervisor]' ? `${line}\n` : ''}\n[watcher:web]\ncmd = ${process.execPath} -e 0\n${section === '[watcher:web]' ? `${line}\n` : ''}`;
        writeFileSync(file, body);
        const result = await run(supervisorBin, ['--check', file]);
        const key = line.split(' ')[0] as string;
        assert.equal(result.code, 2, `${line}: ${result.stderr}`);
        assert.match(result.stderr, new RegExp(`${key}: .*(2147483|0\\.\\.1024)`), line);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
