/**
 * Prefork workers die with their master, whatever kills it. node:cluster only exits a worker on
 * the IPC disconnect, which a worker whose event loop is blocked never sees: after a SIGKILLed
 * master it would live on, reparented to pid 1, holding the port. So, as the supervisor does for
 * its workers, each worker is started through `setpriv --pdeathsig KILL`: the kernel kills it.
 *
 * node:cluster has no option for the program it runs (it forks `process.execPath`), so for the
 * duration of the synchronous `cluster.fork` call only, `process.execPath` names setpriv and the
 * worker's execArgv start with `--pdeathsig KILL -- NODE`. Restored before anything else runs.
 */
import cluster, { type Worker } from 'node:cluster';
import { findSetpriv } from '@stackbench/cli';

export function forkWithParentDeath(env: Record<string, string>): Worker {
  const setpriv = findSetpriv();
  if (!setpriv) return cluster.fork(env);
  const node = process.execPath;
  const execArgv = cluster.settings.execArgv ?? process.execArgv;
  cluster.setupPrimary({ execArgv: ['--pdeathsig', 'KILL', '--', node, ...execArgv] });
  process.execPath = setpriv;
  try {
    return cluster.fork(env);
  } finally {
    process.execPath = node;
    cluster.setupPrimary({ execArgv });
  }
}
