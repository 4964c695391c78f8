/**
 * `bench:provision`: ships the workspace at the current commit to each host of a hosts file and
 * makes it runnable there, as an Ansible play would: `git archive` of the commit piped over ssh
 * into `<dir>/<commit>.partial`, `npm ci` (lockfile-exact; `--offline --cache DIR` for a host
 * with no registry access), the TypeScript build, `scripts/provision-host.sh` (`--tune` only
 * when asked), then renamed to `<dir>/<commit>` with a marker. Idempotent: a host whose
 * `<dir>/<commit>` has the marker is left as it is. Each host's facts come back for the manifest.
 */

import type { HostFacts } from '@stackbench/result';
import { execa } from 'execa';
import { ProvisionError, SshError } from '../../errors.js';
import type { HostEntry, HostsFile } from './hosts-file.js';
import { SshHost } from './ssh.js';
import { callRemote, type RemoteWorkspace } from './workspace.js';

const MARKER = '.stackbench-provisioned';
const MIN_NODE = [20, 19];

export interface ProvisionOptions {
  /** The local workspace (a git checkout) and the commit to ship. */
  root: string;
  commit: string;
  log: (line: string) => void;
}

/** `cd DIR && exec ARGV…` with DIR and ARGV as positional parameters: no value is ever parsed. */
const inDir = (dir: string, argv: readonly string[]) => [
  'sh',
  '-c',
  'cd "$1" && shift && exec "$@"',
  'sh',
  dir,
  ...argv,
];

async function checkTools(host: SshHost): Promise<string> {
  const out = await host.check([
    'sh',
    '-c',
    'for c in node npm tar; do command -v "$c" >/dev/null 2>&1 || echo "missing $c"; done; pwd',
  ]);
  const lines = out.trim().split('\n');
  const missing = lines.filter((l) => l.startsWith('missing ')).map((l) => l.slice(8));
  if (missing.length) {
    throw new ProvisionError(
      host.label,
      `${missing.join(', ')} not found on PATH; install Node.js >= ${MIN_NODE.join('.')} with npm (e.g. Debian: apt-get install nodejs npm, or NodeSource) and tar`,
    );
  }
  const version = (await host.check(['node', '-p', 'process.versions.node'])).trim();
  const [major = 0, minor = 0] = version.split('.').map(Number);
  if (major < (MIN_NODE[0] ?? 0) || (major === MIN_NODE[0] && minor < (MIN_NODE[1] ?? 0))) {
    throw new ProvisionError(
      host.label,
      `Node.js ${version} is too old; install ${MIN_NODE.join('.')} or newer`,
    );
  }
  return lines[lines.length - 1] as string; // the login's home: where a relative dir starts
}

async function step(host: SshHost, what: string, argv: string[], fix: string): Promise<void> {
  const result = await host.run(argv, { timeoutMs: 20 * 60_000 });
  if (result.exitCode !== 0) {
    const tail = `${result.stdout}\n${result.stderr}`.trim().split('\n').slice(-8).join('\n');
    throw new ProvisionError(
      host.label,
      `${what} failed (exit ${result.exitCode}); ${fix}\n${tail}`,
    );
  }
}

export async function provisionHost(
  entry: HostEntry,
  sshConfig: string | null,
  opts: ProvisionOptions,
): Promise<RemoteWorkspace> {
  const host = new SshHost(entry, sshConfig);
  const home = await checkTools(host);
  const base = entry.dir.startsWith('/') ? entry.dir : `${home}/${entry.dir}`;
  const root = `${base}/${opts.commit}`;
  const node = (await host.check(['node', '-p', 'process.execPath'])).trim();
  const done = await host.run(['test', '-f', `${root}/${MARKER}`]);
  let provisioned: RemoteWorkspace['provisioned'] = 'up to date';
  if (done.exitCode !== 0) {
    provisioned = 'shipped';
    const partial = `${root}.partial`;
    const t0 = performance.now();
    opts.log(`${host.label}: shipping ${opts.commit.slice(0, 12)} to ${root}`);
    await host.check(['rm', '-rf', partial]);
    await host.check(['mkdir', '-p', partial]);
    const archive = execa('git', ['archive', '--format=tar', opts.commit], { cwd: opts.root });
    const unpack = await archive.pipe('ssh', host.argv(['tar', '-x', '-C', partial]), {
      reject: false,
    });
    if (unpack.exitCode !== 0) {
      throw new SshError(
        host.label,
        `unpacking the workspace failed: ${String(unpack.stderr).trim()}`,
      );
    }
    const npm = ['npm', 'ci', '--no-audit', '--no-fund'];
    if (entry.npmCache) npm.push('--offline', '--cache', entry.npmCache);
    await step(
      host,
      'npm ci',
      inDir(partial, npm),
      entry.npmCache
        ? `the cache ${entry.npmCache} lacks a package of package-lock.json: run npm ci once with registry access, or copy a filled cache there`
        : 'the host needs access to the npm registry, or set npm_cache = "DIR" to a filled npm cache on the host',
    );
    await step(
      host,
      'the build',
      inDir(partial, ['node', 'node_modules/typescript/bin/tsc', '-b', 'packages/bench']),
      'the same commit builds here with npm run build; check the host’s Node.js version',
    );
    await step(
      host,
      'scripts/provision-host.sh',
      inDir(partial, ['scripts/provision-host.sh', ...(entry.tune ? ['--tune'] : [])]),
      'it installs Debian packages with apt-get and needs root or sudo without a password; run it by hand on the host to see',
    );
    await host.check([
      'sh',
      '-c',
      'mv "$1" "$2" && date -u +%FT%TZ > "$2/$3"',
      'sh',
      partial,
      root,
      MARKER,
    ]);
    opts.log(`${host.label}: provisioned in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  } else {
    opts.log(`${host.label}: ${root} is up to date`);
  }
  const info = await callRemote<{ facts: HostFacts; node: string }>({ host, root, node }, 'facts');
  return {
    host,
    root,
    node: info.node,
    facts: info.facts,
    provisioned,
  };
}

export interface ProvisionedHosts {
  target: RemoteWorkspace;
  drivers: RemoteWorkspace[];
}

/** Provisions every host of the file at once. */
export async function provisionHosts(
  hosts: HostsFile,
  opts: ProvisionOptions,
): Promise<ProvisionedHosts> {
  const all = await Promise.all(
    [hosts.target, ...hosts.drivers].map((entry) => provisionHost(entry, hosts.sshConfig, opts)),
  );
  return { target: all[0] as RemoteWorkspace, drivers: all.slice(1) };
}
