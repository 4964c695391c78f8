/** `startDatabase`'s options, checked once at the public face, each fault naming its value. */

import { accessSync, constants, statSync } from 'node:fs';
import { isIP } from 'node:net';
import { join } from 'node:path';
import { messageOf } from '@stackbench/cli';
import { DatabaseError } from './errors.js';
import { POSTGRES_INSTALL, type PostgresInstall } from './install.js';
import { WORLD_MAX_ROWS } from './world.js';

/** The longest socket path the kernel takes (sun_path, 108 bytes with the NUL). */
const MAX_SOCKET_PATH = 107;

export interface StartOptions {
  /** Rows of the `world` table, ids 1..rows (1..1,000,000). */
  rows: number;
  /** Where the run directory is made (it must be reachable by the `postgres` user). */
  parentDir: string;
  /** The server's max_connections (1..10,000): every app worker's pool, and nothing reserved. */
  maxConnections: number;
  signal?: AbortSignal;
  /** Default: `findPostgres()`. */
  install?: PostgresInstall;
  /**
   * Also listen on TCP at `address` (same port), trusting clients from `allow` (CIDR): a cluster
   * that other hosts reach, as a remote topology's `[database]` (the tests' network namespaces).
   * Default: the Unix socket only.
   */
  tcp?: { address: string; allow: string };
  /**
   * Called as soon as the run directory exists and the postmaster runs, before the start is
   * done: a caller that must clean up after its own SIGKILL registers them then (the matrix's
   * stack reaper), not only once `startDatabase` has resolved.
   */
  onRunDir?: (dir: string) => void;
  onPostmaster?: (pid: number) => void;
}

function checkWhole(name: string, value: number, min: number, max: number): void {
  if (!Number.isInteger(value) || value < min || value > max)
    throw new DatabaseError(
      'DB_BAD_OPTION',
      `${name}=${value} is not valid: expected a whole number from ${min} to ${max}`,
    );
}

export function checkOptions(options: StartOptions): void {
  checkWhole('rows', options.rows, 1, WORLD_MAX_ROWS);
  checkWhole('maxConnections', options.maxConnections, 1, 10_000);
  if (options.tcp) {
    const { address, allow } = options.tcp;
    const [net, bits] = allow.split('/');
    if (!isIP(address) || !net || !isIP(net) || !/^\d{1,3}$/.test(bits ?? '')) {
      throw new DatabaseError(
        'DB_BAD_OPTION',
        `tcp=${JSON.stringify(options.tcp)} is not valid: expected an IP address to listen on and a CIDR to trust, e.g. { address: "10.0.0.1", allow: "10.0.0.0/24" }`,
      );
    }
  }
  const { parentDir } = options;
  try {
    if (!statSync(parentDir).isDirectory()) throw new Error('not a directory');
  } catch (error) {
    throw new DatabaseError(
      'DB_BAD_OPTION',
      `parentDir=${parentDir} is not a directory (${messageOf(error)})`,
    );
  }
  // PARENT/stackbench-db-XXXXXX/.s.PGSQL.65535 must fit a socket address
  const longest = join(parentDir, 'stackbench-db-XXXXXX', '.s.PGSQL.65535').length;
  if (longest > MAX_SOCKET_PATH)
    throw new DatabaseError(
      'DB_BAD_OPTION',
      `parentDir=${parentDir} is too long for a Unix socket path (${longest} > ${MAX_SOCKET_PATH} bytes): use a shorter directory such as /tmp`,
    );
}

export function checkInstall(install: PostgresInstall): void {
  for (const binary of ['postgres', 'initdb']) {
    try {
      accessSync(join(install.binDir, binary), constants.X_OK);
    } catch {
      throw new DatabaseError(
        'DB_NOT_INSTALLED',
        `PostgreSQL is not installed: no ${binary} in ${install.binDir}; to install it: ${POSTGRES_INSTALL}`,
      );
    }
  }
}
