/**
 * The remote topology on real hosts on this machine (netns-hosts.ts): a target and two driver
 * namespaces, each reached only over ssh, each with its own directory. Quoting over a real remote
 * shell and host keys; provisioning with git archive and its no-op second run; a host that lacks
 * something; then, on the provisioned hosts (one provisioning for the file: it is most of its
 * time), the smoke matrix with the load split across the drivers, the open-loop smoke matrix
 * with the rate split across them and their histograms merged, the db workload on the hosts
 * file's [database] (a PostgreSQL reached over TCP), a driver whose load dies, a SIGKILLed
 * orchestrator, and a dropped link to the target.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { startDatabase } from '@stackbench/database';
import { decode, latencyStats, newHistogram } from '@stackbench/loadgen/histogram';
import pg from 'pg';
import { readHostsFile } from '../src/targets/ssh/hosts-file.js';
import { SshHost } from '../src/targets/ssh/ssh.js';
import { killGroup, matrixBin, root, start } from './cli-run.js';
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

const provisionBin = join(root, 'packages/bench/bin/stackbench-provision.js');
const reason = skipReason();

/** The driver hosts' request counts of a window add up to the merged window's. */
function assertCountsAddUp(
  drivers: { requests: Record<string, number> }[],
  cycle: { requests: Record<string, number> },
): void {
  for (const key of ['sent', 'succeeded', 'failed', 'inFlightAtEnd'] as const) {
    assert.equal(
      drivers.reduce((n, d) => n + (d.requests[key] ?? 0), 0),
      cycle.requests[key],
      key,
    );
  }
}

describe('remote topology over ssh (network namespaces)', { skip: reason ?? false }, () => {
  const hosts = hostsForSuite();

  test('ssh: every argument reaches the remote command as written; host keys are checked', async () => {
    const file = readHostsFile(hosts().hostsFile);
    const host = new SshHost(file.target, file.sshConfig);
    const words = ["it's", 'a b', '$HOME', '`id`', '"q"', '*', 'x;y', 'line\nbreak', '', '-n'];
    const out = await host.check(['printf', '%s\\0', ...words]);
    assert.deepEqual(out.split('\0').slice(0, -1), words);
    await host.close();
    // a host whose key is not in known_hosts is refused, with the fix in the message
    const stranger = new SshHost(
      { ...file.target, options: ['UserKnownHostsFile=/dev/null'] },
      file.sshConfig,
    );
    await assert.rejects(stranger.run(['true']), /BENCH_SSH|host key|known_hosts/);
  });

  test('provision ships the commit to each host over ssh and builds it; a second run does nothing', {
    timeout: 900_000,
  }, async () => {
    // the commit shipped is the workspace's HEAD when provisioning starts
    const commit = execFileSync('git', ['rev-parse', 'HEAD'], {
      cwd: root,
      encoding: 'utf8',
    }).trim();
    const first = start(provisionBin, ['--hosts', hosts().hostsFile, '--json']);
    const done = await first.done;
    assert.equal(done.code, 0, done.stderr);
    const lines = done.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    assert.deepEqual(
      lines.map((l) => [l.name, l.provisioned]),
      [
        ['target', 'shipped'],
        ['driver1', 'shipped'],
        ['driver2', 'shipped'],
      ],
    );
    for (const [i, host] of hosts().hosts.entries()) {
      // each host's workspace is in its own directory, named by the commit, built there
      assert.equal(lines[i].workspace, join(host.dir, 'stackbench', commit));
      assert.ok(existsSync(join(lines[i].workspace, 'packages/bench/dist/src/bin/remote.js')));
      assert.ok(lines[i].facts.cores >= 1);
      assert.match(lines[i].tunables['net.core.somaxconn'], /^\d+$/);
    }
    const second = await start(provisionBin, ['--hosts', hosts().hostsFile, '--json']).done;
    assert.equal(second.code, 0, second.stderr);
    assert.deepEqual(
      second.stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l).provisioned),
      ['up to date', 'up to date', 'up to date'],
    );
  });

  test('a host that lacks something fails provisioning saying what and how to fix it (exit 2)', {
    timeout: 300_000,
  }, async () => {
    // the target in a fresh directory, its npm pointed at an empty cache (no registry here)
    const empty = join(hosts().dir, 'empty-npm-cache');
    mkdirSync(empty);
    const text = readFileSync(hosts().hostsFile, 'utf8').replace(
      /(\[target\][^[]*?)dir = "[^"]*"\nnpm_cache = "[^"]*"/,
      `$1dir = "${join(hosts().hosts[0]?.dir as string, 'fresh')}"\nnpm_cache = "${empty}"`,
    );
    const file = join(hosts().dir, 'hosts-empty-cache.toml');
    writeFileSync(file, text);
    const done = await start(provisionBin, ['--hosts', file]).done;
    assert.equal(done.code, 2, done.stderr);
    assert.match(
      done.stderr,
      /target \(root@[0-9.]+\): npm ci failed \(exit \d+\); the cache .*empty-npm-cache lacks a package of package-lock\.json: run npm ci once with registry access, or copy a filled cache there/,
    );
  });
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
    // each driver host measured its own ceiling there, over ssh, before the set
    assert.deepEqual(
      manifest.driverCeiling.hosts.map((h: { host: string }) => h.host),
      ['driver1', 'driver2'],
    );
    for (const h of manifest.driverCeiling.hosts) assert.ok(h.perThreadRps > 0, JSON.stringify(h));
    assert.match(
      done.stderr,
      /driver ceiling: [\d,]+ req\/s per thread on driver1 .*; [\d,]+ req\/s per thread on driver2/,
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
          assertCountsAddUp(drivers, cycle);
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

  test('open-loop matrix: the rate split across two drivers, counts and histograms add up', {
    timeout: 600_000,
  }, async (t) => {
    const run = remoteMatrix(hosts(), 'results-open', [], 'smoke-open');
    t.after(() => killGroup(run));
    const done = await run.done;
    assert.equal(done.code, 0, done.stderr);
    const setDir = done.stdout.trim().split('\n').pop() as string;
    const manifest = JSON.parse(readFileSync(join(setDir, 'manifest.json'), 'utf8'));
    assert.equal(manifest.complete, true);
    for (const stack of manifest.stacks) assert.equal(stack.status, 'complete', stack.reason);
    const result = JSON.parse(readFileSync(join(setDir, 'prefork-rr.json'), 'utf8'));
    const windows = result.runs.flatMap((r: { windows: unknown[] }) => r.windows);
    // 2 rates × 2 samples
    assert.equal(windows.length, 4);
    for (const w of windows) {
      const cycle = w.load.cycles[0];
      const drivers = w.load.drivers as {
        users: number;
        offeredRps: number;
        requests: Record<string, number>;
        histogram: string;
      }[];
      // 4 connections over 2 drivers, each half the rate
      assert.deepEqual(
        drivers.map((d) => d.users),
        [2, 2],
      );
      assert.ok(cycle.openLoop.offeredRps > 0);
      for (const d of drivers) {
        assert.ok(Math.abs(d.offeredRps - cycle.openLoop.offeredRps / 2) < 1e-9);
      }
      assertCountsAddUp(drivers, cycle);
      assert.ok(cycle.requests.succeeded > 0);
      assert.equal(
        cycle.requests.sent,
        cycle.requests.succeeded + cycle.requests.failed + cycle.requests.inFlightAtEnd,
      );
      // latencies from intended starts: the merged p99 is the hosts' histograms added
      const added = newHistogram(3);
      for (const d of drivers) added.add(decode(d.histogram));
      const p99 = latencyStats(added).p99;
      assert.equal(cycle.latencyMs.count, added.totalCount);
      assert.ok(Math.abs(cycle.latencyMs.p99 - p99) <= p99 / 1024, `${cycle.latencyMs.p99} ${p99}`);
      t.diagnostic(
        `offered ${cycle.openLoop.offeredRps}/s: drivers sent ${drivers.map((d) => d.requests.sent).join(' + ')} = ${cycle.requests.sent}, succeeded ${cycle.requests.succeeded}, merged p99 ${cycle.latencyMs.p99} ms, added ${p99} ms, start lag ${w.load.drivers.map((d: { startLagMs: number }) => d.startLagMs).join(' / ')} ms`,
      );
    }
    for (const host of hosts().hosts) {
      await until(`nothing but sshd in ${host.name}`, () => nonSshd(host).length === 0, 20_000);
    }
  });

  test('the db workload on the hosts file’s [database]: a PostgreSQL over TCP, its table filled and dropped', {
    timeout: 300_000,
  }, async (t) => {
    const { hosts: all, hostsFile, dir } = hosts();
    const target = all[0] as TestHost;
    // the bridge's own address: the target's stacks and this machine both reach it
    const gateway = target.address.replace(/\.\d+$/, '.1');
    const db = await startDatabase({
      rows: 50,
      parentDir: tmpdir(),
      maxConnections: 40,
      tcp: { address: gateway, allow: `${gateway.replace(/\.1$/, '.0')}/24` },
    });
    t.after(() => db.stop());
    const withDb = join(dir, 'hosts-db.toml');
    writeFileSync(
      withDb,
      `${readFileSync(hostsFile, 'utf8')}\n[database]\naddress = "${gateway}"\nport = ${db.port}\nuser = "${db.user}"\nname = "${db.name}"\n`,
    );
    const run = start(
      matrixBin,
      [
        '--hosts',
        withDb,
        '--profile',
        'smoke',
        '--stacks',
        'prefork-rr',
        '--workloads',
        'db',
        '--cycles',
        '2',
        '--out',
        join(dir, 'db'),
        '--plain',
      ],
      { TMPDIR: dir },
    );
    t.after(() => killGroup(run));
    const done = await run.done;
    assert.equal(done.code, 0, done.stderr);
    const setDir = done.stdout.trim().split('\n').pop() as string;
    const manifest = JSON.parse(readFileSync(join(setDir, 'manifest.json'), 'utf8'));
    assert.equal(manifest.database.skipped, null);
    assert.match(manifest.database.where, new RegExp(`${gateway}:${db.port}, database ${db.name}`));
    const result = JSON.parse(readFileSync(join(setDir, 'prefork-rr.json'), 'utf8'));
    const windows = result.runs.flatMap((r: { windows: unknown[] }) => r.windows);
    assert.ok(windows.length > 0);
    for (const w of windows) {
      assert.equal(w.workload, 'db');
      assert.ok(w.load.cycles[0].requests.succeeded > 0);
      assert.equal(w.load.cycles[0].requests.failed, 0, 'every row as the table holds it');
      // the stacks' pools, seen from pg_stat_activity; no CPU figure for another host's database
      assert.ok(w.database.connectionsMax >= 1);
      assert.equal(w.database.cpuMs, undefined);
    }
    // the table is gone with the set
    const client = new pg.Client({
      host: gateway,
      port: db.port,
      user: db.user,
      database: db.name,
    });
    await client.connect();
    try {
      const left = await client.query("SELECT to_regclass('public.world') AS t");
      assert.equal(left.rows[0].t, null);
    } finally {
      await client.end();
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

  test('a driver whose load dies fails the set with its name, never a smaller load', {
    timeout: 300_000,
  }, async () => {
    const driver2 = hosts().hosts[2] as TestHost;
    const run = longRun(hosts(), 'driver-died');
    try {
      const shards = () =>
        strayPids(driver2).filter((pid) => commandOf(pid).includes('stackbench-remote.js shard'));
      await until('the load running on driver2', () => shards().length > 0, 120_000);
      for (const pid of shards()) process.kill(pid, 'SIGKILL');
      const done = await run.done;
      assert.equal(done.code, 1, done.stderr);
      assert.match(
        done.stderr,
        /driver driver2 \(root@[0-9.]+\): its load did not finish.*--resume/,
      );
      for (const host of hosts().hosts) {
        await until(`nothing but sshd in ${host.name}`, () => nonSshd(host).length === 0, 20_000);
      }
    } finally {
      killGroup(run);
    }
  });

  // last: it cuts the target's link
  test('a dropped link: the target’s sshd notices and the watchdog ends the stack', {
    timeout: 300_000,
  }, async () => {
    const target = hosts().hosts[0] as TestHost;
    const link = `${target.netns}h`;
    const stackLeft = () =>
      strayPids(target).some((pid) => /stackbench-prefork|stackbench-remote/.test(commandOf(pid)));
    // the previous test's stack is gone first: the one seen below is this run's
    await until('no stack left from before', () => !stackLeft(), 60_000);
    const run = longRun(hosts(), 'dropped');
    try {
      await until('the stack running on the target', stackLeft, 120_000);
      execFileSync('ip', ['link', 'set', link, 'down']);
      // ClientAliveInterval 2 × 3 in the test’s sshd config: about 6 s
      await until('the stack ended on the target', () => !stackLeft(), 60_000);
    } finally {
      execFileSync('ip', ['link', 'set', link, 'up']);
      killGroup(run);
    }
  });
});
