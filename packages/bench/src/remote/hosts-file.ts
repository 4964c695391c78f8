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
import { HostsFileError } from '../errors.js';

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
}

const HOST_KEYS = [
  'name',
  'ssh',
  'port',
  'identity',
  'jump',
  'options',
  'dir',
  'npm_cache',
  'tune',
] as const;
const NAME = /^[a-z][a-z0-9-]{0,31}$/;
/** A DNS name or IPv4 address: goes into URLs and listen options unquoted. */
const HOSTNAME = /^[A-Za-z0-9]([A-Za-z0-9-]{0,62})(\.[A-Za-z0-9]([A-Za-z0-9-]{0,62}))*$/;
/** `-o` option: KEY=VALUE or `KEY VALUE` as ssh_config spells it; no line breaks. */
const SSH_OPTION = /^[A-Za-z][A-Za-z0-9]*[= ][^\r\n\0]+$/;

function plain(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function hostEntry(
  file: string,
  where: string,
  raw: unknown,
  defaultName: string,
  base: string,
): HostEntry {
  const bad = (key: string, problem: string): never => {
    throw new HostsFileError(file, `${where}${key ? `.${key}` : ''}`, problem);
  };
  if (!plain(raw)) bad('', 'must be a table of ssh settings (ssh = "user@host", …)');
  const t = raw as Record<string, unknown>;
  for (const key of Object.keys(t)) {
    if (key === 'address' && where === 'target') continue;
    if (!(HOST_KEYS as readonly string[]).includes(key)) {
      bad(
        key,
        `unknown key; valid keys: ${[...HOST_KEYS, ...(where === 'target' ? ['address'] : [])].join(', ')}`,
      );
    }
  }
  const text = (key: string, required: boolean): string | null => {
    const value = t[key];
    if (value === undefined) return required ? bad(key, 'is required') : null;
    if (typeof value !== 'string' || value.trim() === '') bad(key, 'must be a non-empty string');
    if (/[\r\n\0]/.test(value as string)) bad(key, 'must not hold a line break or NUL');
    return value as string;
  };
  const name = text('name', false) ?? defaultName;
  if (!NAME.test(name)) bad('name', `${JSON.stringify(name)}: use a-z, 0-9 and -, 1–32 characters`);
  const destination = text('ssh', true) as string;
  // ssh would read a leading dash as an option (-oProxyCommand=…): never a destination
  if (destination.startsWith('-') || /\s/.test(destination)) {
    bad(
      'ssh',
      `${JSON.stringify(destination)}: give user@host, host or a Host alias (no blanks, no leading -)`,
    );
  }
  let port: number | null = null;
  if (t.port !== undefined) {
    if (!Number.isInteger(t.port) || (t.port as number) < 1 || (t.port as number) > 65535) {
      bad('port', `${JSON.stringify(t.port)}: must be an integer 1–65535`);
    }
    port = t.port as number;
  }
  const identity = text('identity', false);
  const jump = text('jump', false);
  if (jump?.startsWith('-')) bad('jump', 'must not start with -');
  let options: string[] = [];
  if (t.options !== undefined) {
    if (
      !Array.isArray(t.options) ||
      t.options.some((o) => typeof o !== 'string' || !SSH_OPTION.test(o))
    ) {
      bad('options', 'must be an array of ssh -o options, e.g. ["ServerAliveInterval=10"]');
    }
    options = t.options as string[];
    const weak = options.find((o) => /^StrictHostKeyChecking[= ]\s*(no|off)$/i.test(o));
    if (weak) {
      bad(
        'options',
        `${weak}: host keys are checked; add the host's key to known_hosts instead (ssh-keyscan, then compare its fingerprint)`,
      );
    }
  }
  const dir = text('dir', false) ?? 'stackbench';
  if (dir.split('/').includes('..')) bad('dir', 'must not contain ..');
  const npmCache = text('npm_cache', false);
  if (t.tune !== undefined && typeof t.tune !== 'boolean') bad('tune', 'must be true or false');
  return {
    name,
    destination,
    port,
    identity:
      identity === null
        ? null
        : resolve(base, identity.replace(/^~(?=\/)/, process.env.HOME ?? '~')),
    jump,
    options,
    dir,
    npmCache,
    tune: t.tune === true,
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
  for (const key of Object.keys(doc)) {
    if (!['ssh_config', 'target', 'drivers'].includes(key)) {
      throw new HostsFileError(
        file,
        key,
        'unknown key; valid keys: ssh_config, [target], [[drivers]]',
      );
    }
  }
  let sshConfig: string | null = null;
  if (doc.ssh_config !== undefined) {
    if (typeof doc.ssh_config !== 'string' || doc.ssh_config === '') {
      throw new HostsFileError(file, 'ssh_config', 'must be the path of an ssh_config file');
    }
    sshConfig = isAbsolute(doc.ssh_config) ? doc.ssh_config : resolve(base, doc.ssh_config);
  }
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
  return { file, sshConfig, target: { ...target, address }, drivers };
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
