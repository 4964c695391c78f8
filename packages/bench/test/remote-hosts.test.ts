/**
 * The remote topology's hosts, real ones on this machine (netns-hosts.ts): a target and two
 * driver namespaces, each reached only over ssh, each with its own directory. Quoting over a real
 * remote shell, host keys, provisioning with git archive and its no-op second run, and a host
 * that lacks something. The matrix over these hosts is in remote-matrix.test.ts (two files: each
 * provisions its hosts, and a file has 180 s in the suite).
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { readHostsFile } from '../src/remote/hosts-file.js';
import { SshHost } from '../src/remote/ssh.js';
import { root, start } from './cli-run.js';
import { createTestHosts, skipReason, type TestHosts } from './netns-hosts.js';

const provisionBin = join(root, 'packages/bench/bin/stackbench-provision.js');
const reason = skipReason();

describe('remote topology over ssh (network namespaces)', { skip: reason ?? false }, () => {
  let hosts: TestHosts;
  before(async () => {
    const npmCache = execFileSync('npm', ['config', 'get', 'cache'], { encoding: 'utf8' }).trim();
    hosts = await createTestHosts({ drivers: 2, npmCache });
  });
  after(() => hosts?.teardown());

  test('ssh: every argument reaches the remote command as written; host keys are checked', async () => {
    const file = readHostsFile(hosts.hostsFile);
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
    const first = start(provisionBin, ['--hosts', hosts.hostsFile, '--json']);
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
    const commit = execFileSync('git', ['rev-parse', 'HEAD'], {
      cwd: root,
      encoding: 'utf8',
    }).trim();
    for (const [i, host] of hosts.hosts.entries()) {
      // each host's workspace is in its own directory, named by the commit, built there
      assert.equal(lines[i].workspace, join(host.dir, 'stackbench', commit));
      assert.ok(existsSync(join(lines[i].workspace, 'packages/bench/dist/src/bin/remote.js')));
      assert.ok(lines[i].facts.cores >= 1);
      assert.match(lines[i].tunables['net.core.somaxconn'], /^\d+$/);
    }
    const second = await start(provisionBin, ['--hosts', hosts.hostsFile, '--json']).done;
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
    const empty = join(hosts.dir, 'empty-npm-cache');
    mkdirSync(empty);
    const text = readFileSync(hosts.hostsFile, 'utf8').replace(
      /(\[target\][^[]*?)dir = "[^"]*"\nnpm_cache = "[^"]*"/,
      `$1dir = "${join(hosts.hosts[0]?.dir as string, 'fresh')}"\nnpm_cache = "${empty}"`,
    );
    const file = join(hosts.dir, 'hosts-empty-cache.toml');
    writeFileSync(file, text);
    const done = await start(provisionBin, ['--hosts', file]).done;
    assert.equal(done.code, 2, done.stderr);
    assert.match(
      done.stderr,
      /target \(root@[0-9.]+\): npm ci failed \(exit \d+\); the cache .*empty-npm-cache lacks a package of package-lock\.json: run npm ci once with registry access, or copy a filled cache there/,
    );
  });
});
