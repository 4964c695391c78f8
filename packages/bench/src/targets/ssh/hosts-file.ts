/**
 * The `--hosts FILE` of a remote topology (TOML): one `[target]` where stacks run and one or
 * more `[[drivers]]` the load comes from, each reached with OpenSSH. Validated once, here, into
 * typed values; every message names the file, the key and what would be valid. The SSH fields
 * are what OpenSSH's client takes (a destination as `user@host` or a `Host` alias of the ssh
 * config, port, identity file, jump host, extra `-o` options); nothing else is invented.
 */
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { dirname, isAbsolute, resolve } from 'node:path';
import { parse, TomlError } from 'smol-toml';
import { HostsFileError } from '../../errors.js';
import { HOSTNAME, HOSTS_TABLE } from '../../settings/hosts-table.js';
import { readKeys } from '../../settings/key-reader.js';
import { type Fail, isTable, type Table } from '../../settings/toml-fields.js';

export interface HostEntry {
  /** Short name in messages and the manifest: `target`, `driver1`, … or the file's `name`. */
  name: string;
  /** ssh destination: `user@host`, `host` or a Host alias of the ssh config. */
  destination: string;
  port: number | null;
  identity: string | null;
  jump: string | null;
  /** Extra `-o KEY=VALUE` options, as written. */
  options: string[];
  /** Base directory of the shipped workspaces on the host (relative: to the login's home). */
  dir: string;
  /** npm's cache on the host, for `npm ci --offline` where the host has no registry access. */
  npmCache: string | null;
  /** Run `scripts/provision-host.sh --tune` (kernel settings) when provisioning. */
  tune: boolean;
}

export interface HostsFile {
  file: string;
  /** `ssh -F FILE` for every host, absolute; null: the user's own ssh config. */
  sshConfig: string | null;
  target: HostEntry & { address: string };
  drivers: HostEntry[];
  /** The db workload's PostgreSQL (`[database]`); null: the db cells are skipped on this topology. */
  database: NamedDatabase | null;
}

/** A PostgreSQL the user runs, named in the hosts file. */
export interface NamedDatabase {
  address: string;
  port: number;
  user: string;
  name: string;
  /** The environment variable that holds the password; null: none (trust, or ~/.pgpass). */
  passwordEnv: string | null;
}

const TARGET_KEYS = { ...HOSTS_TABLE.host, ...HOSTS_TABLE['target only'] };

function hostEntry(
  file: string,
  where: string,
  raw: unknown,
  defaultName: string,
  base: string,
): HostEntry {
  const fail: Fail = (key, problem) => {
    throw new HostsFileError(file, key, problem);
  };
  if (!isTable(raw)) fail(where, 'must be a table of ssh settings (ssh = "user@host", …)');
  const keys = where === 'target' ? TARGET_KEYS : HOSTS_TABLE.host;
  const h = readKeys(raw as Table, keys, `${where}.`, fail);
  return {
    name: h.name ?? defaultName,
    destination: h.ssh,
    port: h.port ?? null,
    identity:
      h.identity === undefined
        ? null
        : resolve(base, h.identity.replace(/^~(?=\/)/, process.env.HOME ?? '~')),
    jump: h.jump ?? null,
    options: h.options ?? [],
    dir: h.dir,
    npmCache: h.npm_cache ?? null,
    tune: h.tune,
  };
}

/** Parses and validates a hosts file; throws HostsFileError (exit 2) naming the key at fault. */
export function parseHostsFile(text: string, file: string): HostsFile {
  let doc: Record<string, unknown>;
  try {
    doc = parse(text) as Record<string, unknown>;
  } catch (error) {
    const where = error instanceof TomlError ? `line ${error.line}` : 'TOML';
    throw new HostsFileError(
      file,
      where,
      (error as Error).message.split('\n')[0] ?? 'invalid TOML',
    );
  }
  const base = dirname(resolve(file));
  const fail: Fail = (key, problem) => {
    throw new HostsFileError(file, key, problem);
  };
  const top = readKeys(doc, HOSTS_TABLE[''], '', fail);
  const sshConfig =
    top.ssh_config === undefined
      ? null
      : isAbsolute(top.ssh_config)
        ? top.ssh_config
        : resolve(base, top.ssh_config);
  if (doc.target === undefined) {
    throw new HostsFileError(
      file,
      'target',
      'is required: [target] with ssh = "user@host" and address = "…"',
    );
  }
  const target = hostEntry(file, 'target', doc.target, 'target', base);
  const address = (doc.target as Record<string, unknown>).address;
  if (typeof address !== 'string' || !(isIP(address) === 4 || HOSTNAME.test(address))) {
    throw new HostsFileError(
      file,
      'target.address',
      `${JSON.stringify(address)}: the IPv4 address or DNS name the drivers reach the target at (stacks listen there), e.g. "10.0.0.2"`,
    );
  }
  if (!Array.isArray(doc.drivers) || doc.drivers.length === 0) {
    throw new HostsFileError(
      file,
      'drivers',
      'is required: one or more [[drivers]] tables with ssh = "user@host"',
    );
  }
  const drivers = doc.drivers.map((raw, i) =>
    hostEntry(file, `drivers[${i}]`, raw, `driver${i + 1}`, base),
  );
  const names = [target.name, ...drivers.map((d) => d.name)];
  const twice = names.find((n, i) => names.indexOf(n) !== i);
  if (twice)
    throw new HostsFileError(file, 'name', `${twice} is used twice; give each host its own name`);
  let database: NamedDatabase | null = null;
  if (doc.database !== undefined) {
    const d = readKeys(doc.database as Table, HOSTS_TABLE.database, 'database.', fail);
    if (d.password_env !== undefined && process.env[d.password_env] === undefined) {
      fail('database.password_env', `${d.password_env} is not set in this environment`);
    }
    database = {
      address: d.address,
      port: d.port,
      user: d.user,
      name: d.name,
      passwordEnv: d.password_env ?? null,
    };
  }
  return { file, sshConfig, target: { ...target, address }, drivers, database };
}

export function readHostsFile(file: string): HostsFile {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new HostsFileError(
      file,
      '--hosts',
      `cannot read: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
    );
  }
  return parseHostsFile(text, file);
}
