/**
 * Test fixture: real hosts on this machine. Each host is a Linux network namespace joined to a
 * bridge by a veth link, with its own address (10.213.N.0/24, private to this machine), running
 * Debian's sshd with a host key made for the test; the client gets a user key, an ssh_config and
 * a known_hosts written here (StrictHostKeyChecking yes), and each host a directory of its own for
 * its workspace. `skipReason()` says why the hosts cannot be made here (not root, no sshd, no
 * namespaces). `teardown()` ends the sshd process groups and deletes the namespaces, veths and
 * bridge, whatever state the test left them in.
 */
import { type ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process';
import {
  closeSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { matrixBin, start } from './cli-run.js';

const SSHD = '/usr/sbin/sshd';

export interface TestHost {
  name: string;
  netns: string;
  address: string;
  /** Its own directory: the workspace goes under it. */
  dir: string;
  sshd: ChildProcess | null;
}

export interface TestHosts {
  dir: string;
  hosts: TestHost[];
  hostsFile: string;
  sshConfig: string;
  bridge: string;
  teardown(): void;
}

const ip = (...args: string[]) => execFileSync('ip', args, { stdio: ['ignore', 'ignore', 'pipe'] });

export function skipReason(): string | null {
  if (process.getuid?.() !== 0) return 'network namespaces need root';
  if (!existsSync(SSHD)) return `${SSHD} not found (apt-get install openssh-server)`;
  for (const tool of ['ssh', 'ssh-keygen', 'ip', 'git']) {
    if (spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0) return `${tool} not on PATH`;
  }
  const probe = `sbprobe${process.pid}`;
  const made = spawnSync('ip', ['netns', 'add', probe], { encoding: 'utf8' });
  if (made.status !== 0) return `cannot create a network namespace: ${made.stderr.trim()}`;
  spawnSync('ip', ['netns', 'del', probe]);
  return null;
}

/** A /24 under 10.213 that no interface of this machine uses yet. */
function freeSubnet(): number {
  const used = execFileSync('ip', ['-4', '-o', 'addr', 'show'], { encoding: 'utf8' });
  for (let i = 0; i < 250; i++) {
    const n = ((process.pid + i) % 250) + 1;
    if (!used.includes(`10.213.${n}.`)) return n;
  }
  throw new Error('no free 10.213.N.0/24 subnet');
}

function keygen(file: string): string {
  execFileSync('ssh-keygen', [
    '-q',
    '-t',
    'ed25519',
    '-N',
    '',
    '-C',
    'stackbench-test',
    '-f',
    file,
  ]);
  return readFileSync(`${file}.pub`, 'utf8').trim();
}

function sshdConfig(host: TestHost, dir: string): string {
  return [
    `ListenAddress ${host.address}`,
    'Port 22',
    `HostKey ${join(dir, `host-${host.name}`)}`,
    `PidFile ${join(dir, `sshd-${host.name}.pid`)}`,
    `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`,
    'PermitRootLogin prohibit-password',
    'PasswordAuthentication no',
    'KbdInteractiveAuthentication no',
    'UsePAM no',
    // the test's files live under /tmp, which StrictModes would refuse
    'StrictModes no',
    'MaxStartups 50',
    // HOME is the host's own directory: the login shell reads no rc file of this machine's
    // root (whose shell setup may be slow or hang), and npm and node see a home of their own
    `SetEnv HOME=${host.dir}`,
    // a dropped client is noticed in 6 s: the remote stack's watchdog sees its stdin end
    'ClientAliveInterval 2',
    'ClientAliveCountMax 3',
    '',
  ].join('\n');
}

export interface HostsOptions {
  drivers: number;
  npmCache: string;
}

export async function createTestHosts(opts: HostsOptions): Promise<TestHosts> {
  const dir = mkdtempSync(join(tmpdir(), 'sb-hosts-'));
  const tag = String(process.pid % 1_000_000);
  const subnet = freeSubnet();
  const bridge = `sbbr${tag}`;
  const names = ['target', ...Array.from({ length: opts.drivers }, (_, i) => `driver${i + 1}`)];
  const hosts: TestHost[] = names.map((name, i) => ({
    name,
    netns: `sb${tag}${name[0]}${i}`,
    address: `10.213.${subnet}.${i + 2}`,
    dir: join(dir, name),
    sshd: null,
  }));
  const hostsFile = join(dir, 'hosts.toml');
  const sshConfig = join(dir, 'ssh_config');
  const teardown = () => {
    for (const host of hosts) {
      if (host.sshd?.pid) {
        try {
          process.kill(-host.sshd.pid, 'SIGKILL');
        } catch {}
      }
      // every process still in the namespace (a test that failed half-way)
      const pids =
        spawnSync('ip', ['netns', 'pids', host.netns], { encoding: 'utf8' }).stdout ?? '';
      for (const pid of pids.split('\n').filter(Boolean)) {
        try {
          process.kill(Number(pid), 'SIGKILL');
        } catch {}
      }
      spawnSync('ip', ['netns', 'del', host.netns]);
      spawnSync('ip', ['link', 'del', `${host.netns}h`]);
    }
    spawnSync('ip', ['link', 'del', bridge]);
    // rm(1): much faster than rmSync over three npm-installed workspaces (about 10^5 files each)
    spawnSync('rm', ['-rf', '--one-file-system', dir]);
  };
  try {
    ip('link', 'add', bridge, 'type', 'bridge');
    ip('addr', 'add', `10.213.${subnet}.1/24`, 'dev', bridge);
    ip('link', 'set', bridge, 'up');
    mkdirSync('/run/sshd', { recursive: true });
    const userKey = keygen(join(dir, 'id_ed25519'));
    writeFileSync(join(dir, 'authorized_keys'), `${userKey}\n`);
    const known: string[] = [];
    for (const host of hosts) {
      mkdirSync(host.dir);
      ip('netns', 'add', host.netns);
      ip('link', 'add', `${host.netns}h`, 'type', 'veth', 'peer', 'name', `${host.netns}n`);
      ip('link', 'set', `${host.netns}h`, 'master', bridge, 'up');
      ip('link', 'set', `${host.netns}n`, 'netns', host.netns);
      ip('-n', host.netns, 'addr', 'add', `${host.address}/24`, 'dev', `${host.netns}n`);
      ip('-n', host.netns, 'link', 'set', `${host.netns}n`, 'up');
      ip('-n', host.netns, 'link', 'set', 'lo', 'up');
      const hostKey = keygen(join(dir, `host-${host.name}`));
      known.push(`${host.address} ${hostKey.split(' ').slice(0, 2).join(' ')}`);
      const config = join(dir, `sshd-${host.name}.conf`);
      writeFileSync(config, sshdConfig(host, dir));
      // its log to a file: a pipe nobody reads would fill and stop sshd
      const log = openSync(join(dir, `sshd-${host.name}.log`), 'a');
      host.sshd = spawn('ip', ['netns', 'exec', host.netns, SSHD, '-D', '-e', '-f', config], {
        detached: true,
        stdio: ['ignore', 'ignore', log],
      });
      closeSync(log);
    }
    writeFileSync(join(dir, 'known_hosts'), `${known.join('\n')}\n`);
    writeFileSync(
      sshConfig,
      [
        'Host *',
        '  User root',
        `  IdentityFile ${join(dir, 'id_ed25519')}`,
        '  IdentitiesOnly yes',
        `  UserKnownHostsFile ${join(dir, 'known_hosts')}`,
        '  GlobalKnownHostsFile /dev/null',
        '  StrictHostKeyChecking yes',
        '',
      ].join('\n'),
    );
    const hostTable = (host: TestHost) =>
      [
        `ssh = "root@${host.address}"`,
        `name = "${host.name}"`,
        `dir = "${join(host.dir, 'stackbench')}"`,
        `npm_cache = "${opts.npmCache}"`,
      ].join('\n');
    const [target, ...drivers] = hosts as [TestHost, ...TestHost[]];
    writeFileSync(
      hostsFile,
      [
        `ssh_config = "${sshConfig}"`,
        '',
        '[target]',
        hostTable(target),
        `address = "${target.address}"`,
        ...drivers.flatMap((d) => ['', '[[drivers]]', hostTable(d)]),
        '',
      ].join('\n'),
    );
    // ready: each sshd answers a login (its own signal; no fixed wait)
    for (const host of hosts) await waitForLogin(sshConfig, host, dir);
  } catch (error) {
    teardown();
    throw error;
  }
  return { dir, hosts, hostsFile, sshConfig, bridge, teardown };
}

/** Ready: the host's sshd answers a login (its own signal; no fixed wait). Busy hosts are slow. */
async function waitForLogin(sshConfig: string, host: TestHost, dir: string): Promise<void> {
  const deadline = Date.now() + 90_000;
  let last = '';
  while (Date.now() < deadline) {
    const r = spawnSync(
      'ssh',
      ['-F', sshConfig, '-o', 'ConnectTimeout=10', `root@${host.address}`, 'true'],
      { encoding: 'utf8', timeout: 30_000 },
    );
    if (r.status === 0) return;
    last = r.error ? `ssh: ${r.error.message}` : `ssh exit ${r.status}: ${r.stderr.trim()}`;
    if (host.sshd?.exitCode !== null) throw new Error(`sshd of ${host.name} exited: ${last}`);
    await sleep(100);
  }
  const log = readFileSync(join(dir, `sshd-${host.name}.log`), 'utf8')
    .trim()
    .split('\n');
  throw new Error(
    `sshd of ${host.name} at ${host.address} not reachable: ${last}; sshd log: ${log.slice(-5).join(' / ')}`,
  );
}

/** Pids in a host's namespace other than its sshd listener. */
export function strayPids(host: TestHost): number[] {
  const out = spawnSync('ip', ['netns', 'pids', host.netns], { encoding: 'utf8' }).stdout ?? '';
  const listener = host.sshd?.pid;
  return out
    .split('\n')
    .filter(Boolean)
    .map(Number)
    .filter((pid) => pid !== listener);
}

export function commandOf(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ').trim();
  } catch {
    return '(gone)';
  }
}

/** Processes in the host's namespace that are not sshd (its listener or a session). */
export const nonSshd = (host: TestHost) =>
  strayPids(host).filter((pid) => !/^sshd/.test(commandOf(pid)) && commandOf(pid) !== '(gone)');

/**
 * For the suite it is called in: a target and two drivers made before its tests (npm's cache
 * shared with them, for provisioning) and torn down after, whatever happened; returns a getter.
 */
export function hostsForSuite(): () => TestHosts {
  let hosts: TestHosts | undefined;
  before(async () => {
    const npmCache = execFileSync('npm', ['config', 'get', 'cache'], { encoding: 'utf8' }).trim();
    hosts = await createTestHosts({ drivers: 2, npmCache });
  });
  after(() => hosts?.teardown());
  return () => {
    if (!hosts) throw new Error('the test hosts are made in before(): use them inside a test');
    return hosts;
  };
}

/** A smoke matrix of prefork-rr over `hosts`, its set under `<hosts.dir>/<out>`. */
export function remoteMatrix(
  hosts: TestHosts,
  out: string,
  extra: string[] = [],
  profile = 'smoke',
) {
  const args = ['--hosts', hosts.hostsFile, '--profile', profile, '--stacks', 'prefork-rr'];
  // its temp files (the ssh control sockets' dir) go with the test's dir
  return start(matrixBin, [...args, ...extra, '--out', join(hosts.dir, out), '--plain'], {
    TMPDIR: hosts.dir,
  });
}

/** A matrix run with 2 users and 5 s windows: long enough to act on mid-window. */
export const longRun = (hosts: TestHosts, out: string) =>
  remoteMatrix(hosts, out, ['--cycles', '2', '--duration', '5']);

export async function until(what: string, ok: () => boolean, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}
