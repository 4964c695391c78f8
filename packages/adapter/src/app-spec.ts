/**
 * Parses `MODULE[:EXPORT]` (Chaussette's `package.module:callable`, Gunicorn's `module:app`).
 * EXPORT defaults to `default`; a trailing `()` forces a factory call (`./app.js:createApp()`).
 */
import { AppSpecError } from './errors.js';

export interface AppSpec {
  /** Package name or file path, as written. */
  module: string;
  exportName: string;
  /** True when written `EXPORT()`: call it with no arguments and serve what it returns. */
  callFactory: boolean;
}

const exportPattern = /^([A-Za-z_$][\w$]*)(\(\))?$/;

export function parseAppSpec(spec: string): AppSpec {
  if (spec.trim() === '') throw new AppSpecError(spec, 'is empty');
  const colon = spec.lastIndexOf(':');
  const tail = colon > 0 ? spec.slice(colon + 1) : '';
  const match = exportPattern.exec(tail);
  // `file:///x.js` has a colon but no export after it: the whole spec is then the module.
  if (colon > 0 && match) {
    return {
      module: spec.slice(0, colon),
      exportName: match[1] as string,
      callFactory: !!match[2],
    };
  }
  if (colon === 0) throw new AppSpecError(spec, 'has no MODULE before the colon');
  if (colon > 0 && !spec.startsWith('file:')) {
    throw new AppSpecError(spec, `has an invalid EXPORT ${JSON.stringify(tail)}`);
  }
  return { module: spec, exportName: 'default', callFactory: false };
}

export function formatAppSpec(spec: AppSpec): string {
  return `${spec.module}:${spec.exportName}${spec.callFactory ? '()' : ''}`;
}
