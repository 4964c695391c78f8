/**
 * "No orphans, ever": if the supervisor dies, even by SIGKILL (no handler runs), its workers must
 * exit too, including workers that know nothing about it (a Python one-liner).
 *
 * Mechanism: Linux's parent-death signal. Every worker is started through util-linux `setpriv
 * --pdeathsig KILL -- PROGRAM ARGS`, which sets PR_SET_PDEATHSIG in the forked child and then
 * execs the program (same pid, the setting survives exec). When the supervisor's process goes
 * away, the kernel sends SIGKILL to each worker at once. Node workers with an IPC channel also see
 * it disconnect, but that only helps cooperative workers; pdeathsig needs nothing from the worker.
 *
 * Limits (documented in the README): grandchildren a worker forks are not covered by the kernel
 * (they are in the worker's process group, which the supervisor kills on any orderly stop); and
 * without setpriv (not Linux, or util-linux missing) only the orderly paths remain, with a warning.
 */
import { findSetpriv, parentDeathPrefix } from '@stackbench/cli';

export { findSetpriv };

/** The argv prefix that arms the parent-death signal; empty when it is not available. */
export function orphanGuardPrefix(): string[] {
  return parentDeathPrefix('KILL');
}
