/**
 * Where PostgreSQL's server binaries are: Debian's versioned directories first (the newest
 * major), then PATH. Synchronous: it reads a few directory entries and runs `postgres --version`
 * once, before anything starts.
 */
import { spawnSync } from 'node:child_process';
import { accessSync, constants, readdirSync, realpathSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';

/** What installs PostgreSQL (and the rest of the reference stacks' packages) on a host. */
export const POSTGRES_INSTALL = 'sudo scripts/provision-host.sh';

export interface PostgresInstall {
  /** Holds `postgres` and `initdb`. */
  binDir: string;
  /** `postgres --version`'s number, e.g. `15.18`. */
  version: string;
}

const DEBIAN_ROOT = '/usr/lib/postgresql';

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The version `postgres --version` prints (`postgres (PostgreSQL) 15.18 (Debian …)`), or null. */
export function serverVersion(binDir: string): string | null {
  const result = spawnSync(join(binDir, 'postgres'), ['--version'], {
    encoding: 'utf8',
    timeout: 10_000,
  });
  return /\(PostgreSQL\)\s+(\d+(?:\.\d+)*)/.exec(result.stdout ?? '')?.[1] ?? null;
}

function installAt(binDir: string): PostgresInstall | null {
  if (!executable(join(binDir, 'postgres')) || !executable(join(binDir, 'initdb'))) return null;
  const version = serverVersion(binDir);
  return version === null ? null : { binDir, version };
}

function debianBinDirs(root: string): string[] {
  let majors: string[];
  try {
    majors = readdirSync(root).filter((name) => /^\d+(\.\d+)?$/.test(name));
  } catch {
    return [];
  }
  return majors.sort((a, b) => Number(b) - Number(a)).map((major) => join(root, major, 'bin'));
}

function pathBinDirs(path: string): string[] {
  return path
    .split(delimiter)
    .filter((dir) => dir !== '' && executable(join(dir, 'postgres')))
    .map((dir) => {
      // /usr/local/bin/postgres may be a link into a versioned dir that also holds initdb
      try {
        return dirname(realpathSync(join(dir, 'postgres')));
      } catch {
        return dir;
      }
    });
}

/** The newest Debian install, else the first `postgres` on PATH; null when there is none. */
export function findPostgres(
  options: { debianRoot?: string; path?: string } = {},
): PostgresInstall | null {
  const dirs = [
    ...debianBinDirs(options.debianRoot ?? DEBIAN_ROOT),
    ...pathBinDirs(options.path ?? process.env.PATH ?? ''),
  ];
  for (const dir of dirs) {
    const install = installAt(dir);
    if (install) return install;
  }
  return null;
}
