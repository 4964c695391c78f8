/**
 * Finds a runtime by name: the host's Node (process.execPath), or a pinned binary under the
 * workspace's `runtimes/node_modules`. Each is verified by running it with `--version` and checking
 * that it prints the version its registry package pins, so a result set records what really ran.
 */
import { accessSync, constants, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { CATALOG, type CatalogEntry, type Engine, HOST_RUNTIME, RUNTIME_NAMES } from './catalog.js';
import { RuntimeMissingError, UnknownRuntimeError } from './errors.js';
import { versionNumbers } from './version.js';

export interface Runtime {
  /** As given to `--runtimes`: node, node20, node22, node24, bun, deno. */
  name: string;
  engine: Engine;
  /** Absolute path of the executable. */
  binary: string;
  /** As the binary prints it, first line (`v24.1.0`, `1.2.3`, `deno 2.1.0 (stable, …)`). */
  version: string;
  /** Where the binary comes from: registry package and version, and whose build it is. */
  source: string;
}

/** The folder whose package.json pins the runtimes (`npm run runtimes:install`). */
export function runtimesDir(root: string): string {
  return join(root, 'runtimes');
}

/** The Node.js running stackbench: always there. */
export function hostRuntime(): Runtime {
  return {
    name: HOST_RUNTIME,
    engine: 'node',
    binary: process.execPath,
    version: process.version,
    source: 'the Node.js running stackbench (process.execPath)',
  };
}

function catalogEntry(name: string): CatalogEntry {
  const entry = CATALOG.find((e) => e.name === name);
  if (!entry) throw new UnknownRuntimeError([name], RUNTIME_NAMES);
  return entry;
}

/** Throws `UnknownRuntimeError` naming every unknown name at once. */
export function checkRuntimeNames(names: readonly string[]): void {
  const unknown = names.filter((n) => !RUNTIME_NAMES.includes(n));
  if (unknown.length) throw new UnknownRuntimeError(unknown, RUNTIME_NAMES);
}

async function printedVersion(binary: string, name: string): Promise<string> {
  // NO_COLOR: Deno colours its version line on a terminal
  const result = await execa(binary, ['--version'], {
    reject: false,
    timeout: 30_000,
    env: { NO_COLOR: '1' },
    all: true,
  });
  const line = (result.all ?? '')
    .split('\n')
    .find((l) => l.trim() !== '')
    ?.trim();
  if (result.exitCode !== 0 || !line) {
    throw new RuntimeMissingError(
      name,
      `${binary} --version failed (${result.failed && result.exitCode === undefined ? (result.shortMessage ?? 'did not run') : `exit code ${result.exitCode}`})`,
    );
  }
  return line;
}

/** Resolves one runtime by name; throws `UnknownRuntimeError` or `RuntimeMissingError`. */
export async function resolveRuntime(root: string, name: string): Promise<Runtime> {
  if (name === HOST_RUNTIME) return hostRuntime();
  const entry = catalogEntry(name);
  const dir = join(runtimesDir(root), 'node_modules', entry.dir);
  let pkg: { name?: string; version?: string };
  try {
    pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as typeof pkg;
  } catch {
    throw new RuntimeMissingError(name, `not installed (no ${join(dir, 'package.json')})`);
  }
  const binary = join(dir, entry.binary);
  try {
    accessSync(binary, constants.X_OK);
  } catch {
    throw new RuntimeMissingError(name, `${binary} is missing or not executable`);
  }
  const version = await printedVersion(binary, name);
  const printed = versionNumbers(version)?.join('.');
  if (printed !== pkg.version) {
    throw new RuntimeMissingError(
      name,
      `${binary} prints ${JSON.stringify(version)}, but its package ${pkg.name} is ${pkg.version}`,
    );
  }
  return {
    name,
    engine: entry.engine,
    binary,
    version,
    source: `npm ${pkg.name}@${pkg.version}: ${entry.origin}`,
  };
}

/** Resolves several runtimes; each missing one is a value, not a throw (the matrix skips it). */
export async function resolveRuntimes(
  root: string,
  names: readonly string[],
): Promise<Map<string, Runtime | RuntimeMissingError>> {
  checkRuntimeNames(names);
  const out = new Map<string, Runtime | RuntimeMissingError>();
  for (const name of names) {
    try {
      out.set(name, await resolveRuntime(root, name));
    } catch (error) {
      if (!(error instanceof RuntimeMissingError)) throw error;
      out.set(name, error);
    }
  }
  return out;
}
