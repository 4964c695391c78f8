/** --pre-hook / --post-hook: a `MODULE:EXPORT` function, awaited, before listening / after close. */
import { HookError, HookNotFunctionError } from './errors.js';
import { loadExport } from './load-app.js';

export interface HookContext {
  app: string;
  backend: string;
  /** The listen target as shown in logs; for post-hooks, the bound address. */
  address: string;
}

export type Hook = (context: HookContext) => unknown;

/** Loads the hook now (so a bad spec fails at startup) and returns a runner. */
export async function loadHook(
  which: 'pre-hook' | 'post-hook',
  spec: string,
  cwd: string,
): Promise<(context: HookContext) => Promise<void>> {
  const value = await loadExport(spec, cwd, `--${which}`);
  if (typeof value !== 'function') throw new HookNotFunctionError(which, spec, `a ${typeof value}`);
  return async (context) => {
    try {
      await (value as Hook)(context);
    } catch (error) {
      throw new HookError(which, spec, error);
    }
  };
}
