/**
 * The matrix over real hosts on this machine (netns-hosts.ts): stacks on a target namespace, the
 * load split across two driver namespaces, each reached only over ssh; the hosts are provisioned
 * by the matrix itself. Counts add up across drivers, nothing is left running, and a SIGKILLed
 * orchestrator leaves no stack or load on any host.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { killGroup } from './cli-run.js';
import {
  commandOf,
  hostsForSuite,
  longRun,
  nonSshd,
  remoteMatrix,
  skipReason,
  strayPids,
  type TestHost,
  until,
} from './netns-hosts.js';

const reason = skipReason();

describe('remote matrix over ssh (network namespaces)', { skip: reason ?? false }, () => {
  const hosts = hostsForSuite();

  test('smoke matrix: stacks on the target, users split across two drivers, counts add up, nothing left', {
    timeout: 600_000,
  }, async () => {
    const run = remoteMatrix(hosts(), 'results', ['--cycles', '3']);
    const done = await run.done;
    assert.equal(done.code, 0, done.stderr);
    const setDir = done.stdout.trim().split('\n').pop() as string;
    const manifest = JSON.parse(readFileSync(join(setDir, 'manifest.json'), 'utf8'));
    assert.equal(manifest.complete, true);
    assert.equal(manifest.topology.kind, 'remote');
    assert.equal(manifest.topology.target.address, hosts().hosts[0]?.address);
    assert.deepEqual(
      manifest.topology.drivers.map((d: { name: string }) => d.name),
      ['driver1', 'driver2'],
    );
    for (const stack of manifest.stacks) assert.equal(stack.status, 'complete', stack.reason);
    let windows = 0;
    for (const file of readdirSync(setDir).filter(
      (f) => f.endsWith('.json') && f !== 'manifest.json',
    )) {
      const result = JSON.parse(readFileSync(join(setDir, file), 'utf8'));
      for (const r of result.runs) {
        for (const w of r.windows) {
          windows++;
          const cycle = w.load.cycles[0];
          const drivers = w.load.drivers as {
            users: number;
            complete: boolean;
            requests: Record<string, number>;
          }[];
          // 3 users over 2 drivers: 2 + 1
          assert.deepEqual(
            drivers.map((d) => d.users),
            [2, 1],
          );
          assert.ok(drivers.every((d) => d.complete));
          for (const key of ['sent', 'succeeded', 'failed', 'inFlightAtEnd'] as const) {
            assert.equal(
              drivers.reduce((n, d) => n + (d.requests[key] ?? 0), 0),
              cycle.requests[key],
              key,
            );
          }
          assert.ok(cycle.requests.succeeded > 0);
          // the merged histogram holds every success of both drivers
          assert.equal(cycle.latencyMs.count, cycle.requests.succeeded);
          assert.equal(
            cycle.requests.sent,
            cycle.requests.succeeded + cycle.requests.failed + cycle.requests.inFlightAtEnd,
          );
          assert.ok(w.server.length >= 1);
        }
      }
    }
    assert.equal(windows, 2); // 1 stack × 1 level × 2 rounds
    assert.match(
      readFileSync(join(setDir, 'report.md'), 'utf8'),
      /\| topology \| target \+ 2 drivers/,
    );
    for (const host of hosts().hosts) {
      await until(`nothing but sshd in ${host.name}`, () => nonSshd(host).length === 0, 20_000);
    }
  });

  test('SIGKILL of the orchestrator leaves no stack or load process on any host', {
    timeout: 300_000,
  }, async () => {
    const target = hosts().hosts[0] as TestHost;
    const run = longRun(hosts(), 'killed');
    try {
      const shard = (host: TestHost) =>
        strayPids(host).some((pid) => commandOf(pid).includes('stackbench-remote.js shard'));
      await until(
        'the load running on a driver',
        () => hosts().hosts.slice(1).some(shard),
        120_000,
      );
      assert.ok(
        strayPids(target).some((pid) => commandOf(pid).includes('stackbench-prefork')),
        'the stack runs on the target',
      );
      process.kill(run.child.pid as number, 'SIGKILL');
      for (const host of hosts().hosts) {
        await until(
          `no stack or load left in ${host.name} (${nonSshd(host).map(commandOf).join('; ')})`,
          () => nonSshd(host).length === 0,
          20_000,
        );
      }
    } finally {
      killGroup(run);
    }
  });
});
