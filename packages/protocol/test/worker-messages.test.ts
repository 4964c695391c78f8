import assert from 'node:assert/strict';
import { fork, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { isWorkerMessage, type WorkerMessage } from '../src/index.js';

describe('isWorkerMessage', () => {
  const valid: unknown[] = [
    { type: 'ready', pid: 1 },
    { type: 'ready', pid: 1, listen: 'fd:3' },
    { type: 'stats', pid: 1, requests: 10, inFlight: 0, errors: 0 },
    { type: 'heartbeat', pid: 2 },
  ];
  const invalid: unknown[] = [
    null,
    'ready',
    { type: 'ready' },
    { type: 'ready', pid: -1 },
    { type: 'stats', pid: 1, requests: 1.5, inFlight: 0, errors: 0 },
    { type: 'stats', pid: 1, requests: 1 },
    { type: 'UPDATE_HIST', pid: 1 },
  ];
  for (const message of valid)
    it(`accepts ${JSON.stringify(message)}`, () => assert.ok(isWorkerMessage(message)));
  for (const message of invalid)
    it(`rejects ${JSON.stringify(message)}`, () => assert.ok(!isWorkerMessage(message)));
});

describe('reports over a real IPC channel', () => {
  it('a forked worker sends ready, stats and heartbeat with its pid', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'protocol-'));
    const indexUrl = pathToFileURL(join(import.meta.dirname, '../src/index.js')).href;
    const script = join(dir, 'worker.mjs');
    writeFileSync(
      script,
      `import { sendToParent, startReports } from ${JSON.stringify(indexUrl)};
       sendToParent({ type: 'ready', listen: 'fd:3' });
       startReports(() => ({ requests: 3, inFlight: 1, errors: 0 }), { intervalMs: 50, heartbeat: true });
       setTimeout(() => process.exit(0), 400).ref();
       process.stdin.resume();`,
    );
    try {
      const child = fork(script, [], { stdio: ['pipe', 'inherit', 'inherit', 'ipc'] });
      const received: WorkerMessage[] = [];
      child.on('message', (message) => {
        if (isWorkerMessage(message)) received.push(message);
      });
      const code = await new Promise((resolve) => child.on('exit', resolve));
      assert.equal(code, 0);
      assert.deepEqual(received[0], { type: 'ready', listen: 'fd:3', pid: child.pid });
      assert.ok(received.some((m) => m.type === 'heartbeat' && m.pid === child.pid));
      assert.ok(received.some((m) => m.type === 'stats' && m.requests === 3 && m.inFlight === 1));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a worker without a channel sends nothing and still runs', async () => {
    const indexUrl = pathToFileURL(join(import.meta.dirname, '../src/index.js')).href;
    const code = `import { sendToParent, startReports } from ${JSON.stringify(indexUrl)};
      const stop = startReports(() => ({ requests: 0, inFlight: 0, errors: 0 }));
      stop();
      process.stdout.write(String(sendToParent({ type: 'ready' })));`;
    const child = spawn(process.execPath, ['--input-type=module', '-e', code], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    const exit = await new Promise((resolve) => child.on('exit', resolve));
    assert.equal(exit, 0);
    assert.equal(out, 'false');
  });
});
