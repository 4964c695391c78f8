import assert from 'node:assert/strict';
import { test } from 'node:test';
import { logExcerpt } from '../src/targets/log-excerpt.js';

const line = (level: string, text: string) =>
  `[2026-12-04 16:15:40 +0000] [10434] [${level}] ${text}`;
const exiting = (n: number) =>
  Array.from({ length: n }, (_, i) => line('INFO', `Worker exiting (pid: ${i + 100})`));

test('a short log is kept whole', () => {
  const text = [line('INFO', 'Starting'), line('ERROR', 'Exception in worker process: boom')].join(
    '\n',
  );
  assert.deepEqual(logExcerpt(text, 30), text.split('\n'));
  assert.deepEqual(logExcerpt('', 30), []);
});

test("a worker's exception before 50 lines of shutdown stays ahead of the tail", () => {
  const reason = line('ERROR', 'Exception in worker process: EMFILE: too many open files');
  const text = [line('INFO', 'Starting'), ...exiting(10), reason, ...exiting(50), 'gave up'].join(
    '\n',
  );
  const kept = logExcerpt(text, 30);
  assert.equal(kept.length, 32);
  assert.equal(kept[0], reason);
  assert.equal(kept[1], '… 32 more lines …');
  assert.deepEqual(kept.slice(2), text.split('\n').slice(-30));
});

test('without a failure line outside it, the tail alone; failures inside it are not repeated', () => {
  const text = [...exiting(40), line('ERROR', 'late'), ...exiting(5)].join('\n');
  assert.deepEqual(logExcerpt(text, 30), text.split('\n').slice(-30));
});

test("nginx's and Python's ways of failing count; at most 10 are kept", () => {
  const nginx = '2026/12/04 16:15:40 [emerg] 123#0: bind() to 127.0.0.1:80 failed';
  const python = 'Traceback (most recent call last):';
  const many = Array.from({ length: 15 }, (_, i) => `TypeError: bad ${i}`);
  const kept = logExcerpt([nginx, python, ...many, ...exiting(30)].join('\n'), 30);
  assert.deepEqual(kept.slice(0, 3), [nginx, python, 'TypeError: bad 0']);
  assert.equal(kept.length, 10 + 1 + 30);
});
