import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FlappingDetector } from '../src/flapping.js';
import { findQueue, parseSs } from '../src/stats/accept-queue.js';
import { sampleProcesses } from '../src/stats/proc-usage.js';

describe('accept queue from ss', () => {
  const output = [
    'tcp LISTEN 7      2048   127.0.0.1:8080 0.0.0.0:*',
    'tcp LISTEN 0      511    [::1]:9090 [::]:*',
    'tcp ESTAB  5      0      127.0.0.1:8080 127.0.0.1:5000',
    'u_str LISTEN 3    2048   /tmp/web.sock 12345 * 0',
  ].join('\n');
  it('reads Recv-Q of listening sockets only, by port or path', () => {
    const queues = parseSs(output);
    assert.equal(queues.length, 3);
    assert.equal(findQueue(queues, { port: 8080 })?.queued, 7);
    assert.equal(findQueue(queues, { port: 8080 })?.backlog, 2048);
    assert.equal(findQueue(queues, { port: 9090 })?.queued, 0);
    assert.equal(findQueue(queues, { unixPath: '/tmp/web.sock' })?.queued, 3);
    assert.equal(findQueue(queues, { port: 1 }), undefined);
  });
});

describe('process samples from /proc', () => {
  it('reads CPU seconds and RSS of live pids and skips dead ones', () => {
    const samples = sampleProcesses([process.pid, 2 ** 22 + 1]);
    const own = samples.get(process.pid);
    assert.ok(own);
    const rss = process.memoryUsage.rss();
    assert.ok(own.rssBytes > rss / 2 && own.rssBytes < rss * 2, `${own.rssBytes} vs ${rss}`);
    assert.ok(own.cpuSeconds > 0);
    assert.equal(samples.has(2 ** 22 + 1), false);
  });
});

describe('FlappingDetector', () => {
  it('trips on N deaths within the window only', () => {
    const detector = new FlappingDetector(3, 1000);
    assert.equal(detector.record(0), false);
    assert.equal(detector.record(600), false);
    assert.equal(detector.record(1200), false, 'the first death left the window');
    assert.equal(detector.record(1500), true);
    detector.reset();
    assert.equal(detector.record(1600), false);
  });
});
