/**
 * Every key of a `--hosts FILE` (targets/ssh/hosts-file.ts): the top level and the ssh settings of
 * `[target]` and each `[[drivers]]`, as OpenSSH's client takes them. hosts-file.ts reads through
 * it; the README's key table of hosts files is generated from it.
 */
import { isIP } from 'node:net';
import type { KeyTable } from './key-reader.js';

const NAME = /^[a-z][a-z0-9-]{0,31}$/;
/** A DNS name or IPv4 address: goes into URLs, listen options and libpq's PGHOST unquoted. */
export const HOSTNAME = /^[A-Za-z0-9]([A-Za-z0-9-]{0,62})(\.[A-Za-z0-9]([A-Za-z0-9-]{0,62}))*$/;
/** `-o` option: KEY=VALUE or `KEY VALUE` as ssh_config spells it; no line breaks. */
const SSH_OPTION = /^[A-Za-z][A-Za-z0-9]*[= ][^\r\n\0]+$/;

/** Every string goes into an ssh argv or a remote path: one line, no NUL. */
const oneLine = (value: string) =>
  value.trim() === ''
    ? 'must be a non-empty string'
    : /[\r\n\0]/.test(value)
      ? 'must not hold a line break or NUL'
      : null;

export const HOSTS_TABLE = {
  '': {
    ssh_config: {
      type: 'string',
      doc: '`ssh -F FILE` for every host (relative: to the hosts file); default: your own ssh config',
    },
    target: { type: 'section', doc: 'where the stacks run: the host keys below, and address' },
    drivers: {
      type: 'sections',
      doc: 'one or more hosts the load comes from: the host keys below',
    },
    database: {
      type: 'section',
      doc: "the db workload's PostgreSQL, which the target and this machine reach: the database keys below",
    },
  },
  host: {
    name: {
      type: 'string',
      defaultDoc: 'target, driver1, …',
      check: (v) =>
        NAME.test(v) ? null : `${JSON.stringify(v)}: use a-z, 0-9 and -, 1–32 characters`,
      doc: 'short name in messages and the manifest',
    },
    ssh: {
      type: 'string',
      required: true,
      // ssh would read a leading dash as an option (-oProxyCommand=…): never a destination
      check: (v) =>
        v.startsWith('-') || /\s/.test(v)
          ? `${JSON.stringify(v)}: give user@host, host or a Host alias (no blanks, no leading -)`
          : null,
      doc: 'ssh destination: user@host, host or a Host alias of the ssh config',
    },
    port: { type: 'number', integer: true, min: 1, max: 65535, doc: 'ssh port' },
    identity: {
      type: 'string',
      check: oneLine,
      doc: 'identity file (relative: to the hosts file)',
    },
    jump: {
      type: 'string',
      check: (v) => oneLine(v) ?? (v.startsWith('-') ? 'must not start with -' : null),
      doc: 'jump host (ssh -J)',
    },
    options: {
      type: 'strings',
      check: (list) => {
        if (!list.every((o) => SSH_OPTION.test(o))) {
          return 'must be an array of ssh -o options, e.g. ["ServerAliveInterval=10"]';
        }
        const weak = list.find((o) => /^StrictHostKeyChecking[= ]\s*(no|off)$/i.test(o));
        return weak
          ? `${weak}: host keys are checked; add the host's key to known_hosts instead (ssh-keyscan, then compare its fingerprint)`
          : null;
      },
      doc: 'extra ssh -o options (host keys are always checked)',
    },
    dir: {
      type: 'string',
      default: 'stackbench',
      check: (v) => oneLine(v) ?? (v.split('/').includes('..') ? 'must not contain ..' : null),
      doc: "base directory of the shipped workspaces (relative: to the login's home)",
    },
    npm_cache: {
      type: 'string',
      check: oneLine,
      doc: "npm's cache on the host, for npm ci --offline without registry access",
    },
    tune: {
      type: 'boolean',
      default: false,
      doc: 'run scripts/provision-host.sh --tune (kernel settings) when provisioning',
    },
  },
  'target only': {
    address: {
      type: 'string',
      doc: 'the IPv4 address or DNS name the drivers reach the target at (stacks listen there)',
    },
  },
  database: {
    address: {
      type: 'string',
      required: true,
      check: (v) =>
        isIP(v) || HOSTNAME.test(v)
          ? null
          : `${JSON.stringify(v)}: give the IPv4 address or DNS name the target and this machine reach PostgreSQL at`,
      doc: "PostgreSQL's address, as the target's stacks and this machine reach it",
    },
    port: { type: 'number', integer: true, min: 1, max: 65535, default: 5432, doc: 'its port' },
    user: {
      type: 'string',
      required: true,
      check: oneLine,
      doc: 'the role the apps and the orchestrator connect as',
    },
    name: {
      type: 'string',
      default: 'stackbench',
      check: oneLine,
      doc: 'the database: the orchestrator creates and fills its `world` table (and refuses one it did not create)',
    },
    password_env: {
      type: 'string',
      check: (v) =>
        /^[A-Z_][A-Z0-9_]*$/.test(v)
          ? null
          : `${JSON.stringify(v)}: the name of an environment variable, e.g. STACKBENCH_DB_PASSWORD`,
      doc: 'the environment variable of this machine that holds the password (never the password itself)',
    },
  },
} as const satisfies Record<string, KeyTable>;
