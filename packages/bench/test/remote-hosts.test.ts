/**
 * The remote topology's hosts, real ones on this machine (netns-hosts.ts): a target and two
 * driver namespaces, each reached only over ssh, each with its own directory. Quoting over a real
 * remote shell, host keys, provisioning with git archive and its no-op second run, a host that
 * lacks something; then, on the provisioned hosts, a driver whose load dies and a dropped link to
 * the target. The smoke matrix and a SIGKILLed orchestrator are in remote-matrix.test.ts (two
 * files: each provisions its hosts, and a file has 600 s in the suite).
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { readHostsFile } from '../src/remote/hosts-file.js';
import { SshHost } from '../src/remote/ssh.js';
import { killGroup, root, start } from './cli-run.js';
import {
  commandOf,
  hostsForSuite,
  longRun,
  nonSshd,
  skipReason,
  strayPids,
  type TestHost,
  until,
} from './netns-hosts.js';

const provisionBin = join(root, 'packages/bench/bin/stackbench-provision.js');
const reason = skipReason();

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
