/**
 * Linux's parent-death signal for programs we start: util-linux `setpriv --pdeathsig SIG --
 * PROGRAM ARGS` sets PR_SET_PDEATHSIG in the child and execs PROGRAM (same pid; the setting
 * survives exec), so the kernel signals the child when the process that started it dies, even by
 * SIGKILL, whatever the child is doing. Shared by the supervisor (its workers), prefork (its
 * workers) and the orchestrator (the stacks it launches). Node cannot call prctl itself.
 */
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

let cached: string | null | undefined;

/** Absolute path of setpriv on PATH, or null (not Linux, util-linux missing). */
export function findSetpriv(path = process.env.PATH ?? ''): string | null {
  if (cached !== undefined) return cached;
  cached = null;
  if (process.platform !== 'linux') return cached;
  for (const dir of path.split(delimiter)) {
    const candidate = join(dir, 'setpriv');
    try {
      accessSync(candidate, constants.X_OK);
      cached = candidate;
      break;
    } catch {}
  }
  return cached;
}

/** The argv prefix that arms the parent-death signal; empty when setpriv is not available. */
export function parentDeathPrefix(signal = 'KILL'): string[] {
  const setpriv = findSetpriv();
  return setpriv ? [setpriv, '--pdeathsig', signal, '--'] : [];
}
