/**
 * Loads an app named `MODULE[:EXPORT]` (resolved as the adapter resolves it) and returns its fetch
 * face, the handler a native server calls. Package apps keep one export for both faces: the Node
 * listener, and `.fetch` beside it, running the same work.
 */
import { loadExport } from '@stackbench/adapter/load-app';
import type { FetchHandler } from '@stackbench/app';
import { NoFetchFaceError } from './errors.js';

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'function') return 'a function';
  return `${/^[aeiou]/.test(typeof value) ? 'an' : 'a'} ${typeof value}`;
}

export async function loadFetchApp(spec: string, cwd = process.cwd()): Promise<FetchHandler> {
  const value = await loadExport(spec, cwd, 'APP');
  const fetch =
    (typeof value === 'function' || (typeof value === 'object' && value !== null)) &&
    typeof (value as { fetch?: unknown }).fetch === 'function'
      ? ((value as { fetch: FetchHandler }).fetch as FetchHandler)
      : null;
  if (!fetch) throw new NoFetchFaceError(spec, describe(value));
  return fetch;
}
