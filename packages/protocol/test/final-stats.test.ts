/**
 * Contract 3's last report: a worker that awaits `sendFinalStats` and exits at once still gets
 * its counts to the parent (the send callback is the signal that the channel took them).
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { describe, it } from 'node:test';
import { isWorkerMessage, sendFinalStats, type WorkerMessage } from '../src/index.js';

const reportModule = new URL('../src/report.js', import.meta.url).href;

describe('sendFinalStats', () => {
  it('reaches the parent although the worker exits right after it', async () => {
    const code = `import { sendFinalStats } from ${JSON.stringify(reportModule)};
const sent = await sendFinalStats(() => ({ requests: 4242, inFlight: 0, errors: 7 }));
process.exit(sent ? 0 : 3);`;
    const child = spawn(process.execPath, ['--input-type=module', '-e', code], {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      detached: true,
    });
    const messages: WorkerMessage[] = [];
    child.on('message', (message) => {
      if (isWorkerMessage(message)) messages.push(message);
    });
    // 'close' comes after the IPC channel has closed: every message sent has been read by then
    const [exitCode] = await once(child, 'close');
    assert.equal(exitCode, 0, 'the channel took the report');
    assert.deepEqual(messages, [
      { type: 'stats', requests: 4242, inFlight: 0, errors: 7, pid: child.pid },
    ]);
  });

  it('resolves false at once without a parent channel', async () => {
    assert.equal(await sendFinalStats(() => ({ requests: 1, inFlight: 0, errors: 0 })), false);
  });
});
