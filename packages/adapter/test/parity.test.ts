/**
 * Both backends give the same responses (status, content-type, header names, body) for the real
 * apps (@stackbench/app's helloApp and benchApp) and for fixtures that read the request.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type AdapterProcess, fixture, startAdapter } from './helpers/adapter-process.js';
import { httpRequest, type Reply } from './helpers/http.js';

const apps = fixture('apps.js');
// Small bench work so the test is quick; the shape of the answer is what is compared.
const benchEnv = {
  STACKBENCH_CPU_ITERATIONS: '100',
  STACKBENCH_SLEEP_MS: '5',
  STACKBENCH_WRITES: '10',
};
const backends = ['node', 'threads'] as const;
const servers = new Map<string, string>();
const started: AdapterProcess[] = [];

before(async () => {
  for (const backend of backends) {
    for (const app of [
      '@stackbench/app:helloApp',
      '@stackbench/app:benchApp',
      `${apps}:echo`,
      `${apps}:chunked`,
    ]) {
      const adapter = startAdapter(['--port', '0', '--backend', backend, '--threads', '1', app], {
        env: benchEnv,
      });
      started.push(adapter);
      servers.set(`${backend} ${app}`, await adapter.listening);
    }
  }
});
after(() => {
  for (const adapter of started) adapter.stop();
});

/** What must match: framing headers (content-length vs chunked) and the date may differ. */
function comparable(reply: Reply, bodyShape?: RegExp) {
  const names = Object.keys(reply.headers)
    .filter((name) => !['date', 'content-length', 'transfer-encoding'].includes(name))
    .sort();
  return {
    status: reply.status,
    contentType: reply.headers['content-type'],
    names,
    body: bodyShape ? bodyShape.test(reply.body) : reply.body,
  };
}

async function both(app: string, path = '/', options: Parameters<typeof httpRequest>[2] = {}) {
  const replies: Reply[] = [];
  for (const backend of backends) {
    replies.push(await httpRequest(servers.get(`${backend} ${app}`) as string, path, options));
  }
  return replies as [Reply, Reply];
}

describe('backend parity', () => {
  it('helloApp: identical bytes', async () => {
    const [node, threads] = await both('@stackbench/app:helloApp');
    assert.deepEqual(comparable(threads), comparable(node));
    assert.equal(node.body, 'Hello, World!');
    assert.equal(threads.headers['content-length'], node.headers['content-length']);
  });
  it('benchApp: same status, content-type and body shape (elapsed seconds)', async () => {
    const [node, threads] = await both('@stackbench/app:benchApp');
    const shape = /^\d+\.\d{4}$/;
    assert.deepEqual(comparable(threads, shape), comparable(node, shape));
    assert.equal(comparable(node, shape).body, true, node.body);
  });
  it('echo: method, url, headers and body reach the handler; status and multi-value headers come back', async () => {
    const options = { method: 'POST', body: 'payload ✓', headers: { 'x-custom': 'yes' } };
    const [node, threads] = await both(`${apps}:echo`, '/path?q=1', options);
    assert.deepEqual(comparable(threads), comparable(node));
    assert.equal(node.status, 201);
    assert.equal(node.headers['x-multi'], 'a, b');
    assert.deepEqual(JSON.parse(node.body), {
      method: 'POST',
      url: '/path?q=1',
      httpVersion: '1.1',
      custom: 'yes',
      hasRemote: true,
      body: 'payload ✓',
    });
  });
  it('a response written in pieces has the same body (streamed by node, buffered by threads)', async () => {
    const [node, threads] = await both(`${apps}:chunked`);
    assert.deepEqual(comparable(threads), comparable(node));
    assert.equal(node.headers['transfer-encoding'], 'chunked');
    assert.equal(threads.headers['content-length'], String('one,two,three'.length));
  });
  it('HEAD gets headers and no body from both', async () => {
    const [node, threads] = await both('@stackbench/app:helloApp', '/', { method: 'HEAD' });
    assert.deepEqual(comparable(threads), comparable(node));
    assert.equal(threads.body, '');
  });
});
