/**
 * The runtimes of the matrix's runtime axis and where each one's binary sits in the workspace's
 * `runtimes/` folder (its package.json pins exact versions; `npm run runtimes:install` fills
 * `runtimes/node_modules`). `node` is the Node.js running stackbench itself, always present.
 */
export type Engine = 'node' | 'bun' | 'deno';

export const ENGINES: readonly Engine[] = ['node', 'bun', 'deno'];

export interface CatalogEntry {
  name: string;
  engine: Engine;
  /** Directory under runtimes/node_modules (an npm alias for the three Node lines). */
  dir: string;
  /** The executable, relative to `dir`. */
  binary: string;
  /** Who builds the binary that the registry package carries (for the README and the manifest). */
  origin: string;
}

/** The Node.js running stackbench (process.execPath): the default when no runtime is named. */
export const HOST_RUNTIME = 'node';

const NODE_ORIGIN =
  'the official Node.js build, repackaged unchanged by the node package generator';

export const CATALOG: readonly CatalogEntry[] = [
  { name: 'node20', engine: 'node', dir: 'node20', binary: 'bin/node', origin: NODE_ORIGIN },
  { name: 'node22', engine: 'node', dir: 'node22', binary: 'bin/node', origin: NODE_ORIGIN },
  { name: 'node24', engine: 'node', dir: 'node24', binary: 'bin/node', origin: NODE_ORIGIN },
  {
    name: 'bun',
    engine: 'bun',
    dir: '@oven/bun-linux-x64',
    binary: 'bin/bun',
    origin: "Oven's own Linux x64 build of Bun",
  },
  {
    name: 'deno',
    engine: 'deno',
    dir: '@deno/linux-x64-glibc',
    binary: 'deno',
    origin: "the Deno project's own Linux x64 (glibc) build",
  },
];

/** Every name `--runtimes` accepts, the host's Node first. */
export const RUNTIME_NAMES: readonly string[] = [HOST_RUNTIME, ...CATALOG.map((e) => e.name)];

/** The engine of a runtime name (node for the host's Node), or undefined for an unknown name. */
export function engineOf(name: string): Engine | undefined {
  if (name === HOST_RUNTIME) return 'node';
  return CATALOG.find((e) => e.name === name)?.engine;
}
