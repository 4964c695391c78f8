/**
 * Loads an app (or hook) named `MODULE[:EXPORT]`: resolves the module from `cwd` (package name or
 * file path), imports it, picks the export, and turns a factory into a listener. Each failure is a
 * typed error naming the culprit, so the CLI exits 2 with a useful message.
 */
import { existsSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import { isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { AppLoadError } from '@stackbench/cli';
import { formatAppSpec, parseAppSpec } from './app-spec.js';
import {
  ADAPTER,
  AppExportMissingError,
  AppNotFoundError,
  AppNotListenerError,
  moduleSubject,
} from './errors.js';

/** A Node request listener; it may return a promise (a rejection is an app fault, answered 500). */
export type RequestListener = (req: IncomingMessage, res: ServerResponse) => unknown;

function isPathLike(module: string): boolean {
  return module.startsWith('.') || isAbsolute(module) || module.startsWith('file:');
}

/** Resolves the module to a URL that `import()` accepts, or throws `AppNotFoundError`. */
export function resolveModule(module: string, cwd: string, what: string): string {
  if (isPathLike(module)) {
    const path = module.startsWith('file:') ? fileURLToPath(module) : resolve(cwd, module);
    if (!existsSync(path)) throw new AppNotFoundError(what, module, cwd);
    return pathToFileURL(path).href;
  }
  try {
    return pathToFileURL(createRequire(join(cwd, 'noop.js')).resolve(module)).href;
  } catch (first) {
    // ESM-only packages (an `import` condition without `require`/`default`) resolve only this way.
    try {
      return import.meta.resolve(module);
    } catch {
      throw new AppNotFoundError(what, module, cwd, first);
    }
  }
}

/** Imports `MODULE` and returns its `EXPORT`, unchanged. */
export async function loadExport(
  spec: string,
  cwd = process.cwd(),
  what = 'APP',
): Promise<unknown> {
  const parsed = parseAppSpec(spec);
  const url = resolveModule(parsed.module, cwd, what);
  let namespace: Record<string, unknown>;
  try {
    namespace = (await import(url)) as Record<string, unknown>;
  } catch (error) {
    throw new AppLoadError(ADAPTER, moduleSubject(what, parsed.module), error);
  }
  let value = namespace[parsed.exportName];
  // CommonJS modules whose exports the ESM loader could not detect statically.
  const cjs = namespace.default;
  if (value === undefined && typeof cjs === 'object' && cjs !== null && parsed.exportName in cjs) {
    value = (cjs as Record<string, unknown>)[parsed.exportName];
  }
  if (value === undefined) {
    throw new AppExportMissingError(what, parsed.module, parsed.exportName, Object.keys(namespace));
  }
  return value;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  const type = typeof value;
  return `${/^[aeiou]/.test(type) ? 'an' : 'a'} ${type}`;
}

/**
 * Loads the app and returns its request listener. An export taking two or more parameters is a
 * listener `(req, res)`; one taking fewer is a factory, called with no arguments, that must return
 * a listener (or a promise of one). `EXPORT()` always calls it as a factory.
 */
export async function loadApp(spec: string, cwd = process.cwd()): Promise<RequestListener> {
  const value = await loadExport(spec, cwd, 'APP');
  const parsed = parseAppSpec(spec);
  const name = formatAppSpec(parsed);
  if (typeof value !== 'function') throw new AppNotListenerError('APP', name, describe(value));
  if (!parsed.callFactory && value.length >= 2) return value as RequestListener;
  let made: unknown;
  try {
    made = await (value as () => unknown)();
  } catch (error) {
    throw new AppLoadError(
      ADAPTER,
      moduleSubject(
        'APP',
        `${name} (it takes ${value.length} parameter(s), so it was called as a factory; a listener takes (req, res))`,
      ),
      error,
    );
  }
  if (typeof made !== 'function') {
    throw new AppNotListenerError('APP', name, `a factory returning ${describe(made)}`);
  }
  return made as RequestListener;
}
