/**
 * The files the dashboard serves, all plain and served as-is (no build step): the page from
 * `src/dashboard/page/` (tsc does not copy non-TS files, so they are found from the package root
 * whether this module runs from src or dist) and the browser builds of vega, vega-lite and
 * vega-embed from node_modules. Only the files in this table are reachable: no path is ever
 * taken from the URL.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface Asset {
  path: string;
  contentType: string;
}

function packageRoot(): string {
  // dist/src/dashboard/assets.js or src/dashboard/assets.ts: the package root is the folder
  // above `src` or `dist/src`.
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) dir = dirname(dir);
  return dir;
}

/** Finds an installed package's folder (its `exports` hide `build/`, so no require.resolve). */
function packageDir(name: string): string {
  const require = createRequire(import.meta.url);
  for (const candidate of require.resolve.paths(name) ?? []) {
    if (existsSync(join(candidate, name, 'package.json'))) return join(candidate, name);
  }
  throw new Error(`${name} is not installed (a dependency of @stackbench/supervisor)`);
}

const JS = 'text/javascript; charset=utf-8';

export function assetTable(): Map<string, Asset> {
  const page = join(packageRoot(), 'src/dashboard/page');
  return new Map<string, Asset>([
    ['/', { path: join(page, 'index.html'), contentType: 'text/html; charset=utf-8' }],
    ['/dashboard.js', { path: join(page, 'dashboard.js'), contentType: JS }],
    ['/charts.js', { path: join(page, 'charts.js'), contentType: JS }],
    ['/dashboard.css', { path: join(page, 'dashboard.css'), contentType: 'text/css' }],
    [
      '/vendor/vega.min.js',
      { path: join(packageDir('vega'), 'build/vega.min.js'), contentType: JS },
    ],
    [
      '/vendor/vega-lite.min.js',
      { path: join(packageDir('vega-lite'), 'build/vega-lite.min.js'), contentType: JS },
    ],
    [
      '/vendor/vega-embed.min.js',
      { path: join(packageDir('vega-embed'), 'build/vega-embed.min.js'), contentType: JS },
    ],
  ]);
}

/** Reads every asset once at start: a missing file fails the start, not a page load. */
export function loadAssets(): Map<string, { body: Buffer; contentType: string }> {
  const loaded = new Map<string, { body: Buffer; contentType: string }>();
  for (const [url, asset] of assetTable()) {
    loaded.set(url, { body: readFileSync(asset.path), contentType: asset.contentType });
  }
  return loaded;
}
