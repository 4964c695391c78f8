import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isClientBackend } from '../src/processes.js';

test('a client backend is told from the background processes by its title', () => {
  for (const title of [
    'postgres: stackbench stackbench [local] idle',
    'postgres: postgres postgres [local] SELECT',
    'postgres: main: stackbench stackbench [local] idle in transaction',
  ])
    assert.ok(isClientBackend(title), title);
  for (const title of [
    'postgres: checkpointer ',
    'postgres: background writer ',
    'postgres: walwriter ',
    'postgres: autovacuum launcher ',
    'postgres: logical replication launcher ',
    '/usr/lib/postgresql/15/bin/postgres -D /tmp/x/data -k /tmp/x',
  ])
    assert.ok(!isClientBackend(title), title);
});
