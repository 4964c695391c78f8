/**
 * A provisioned host: the ssh connection plus where the shipped workspace is, and how to run
 * `stackbench-remote VERB` there and read the JSON it prints.
 */

import type { HostFacts } from '@stackbench/result';
import { SshError } from '../../errors.js';
import type { RunOptions, SshHost } from './ssh.js';

export interface RemoteWorkspace {
  host: SshHost;
  /** Absolute path of the workspace on the host (`<dir>/<commit>`). */
  root: string;
  /** The host's node (its process.execPath). */
  node: string;
  /** Read on the host, its tuned kernel settings (`tunables`) included. */
  facts: HostFacts;
  /** What provisioning did: shipped and built, or found it up to date. */
  provisioned: 'shipped' | 'up to date';
}

/** argv of `stackbench-remote VERB ARGS…` in the workspace at `root`. */
export function remoteArgv(
  node: string,
  root: string,
  verb: string,
  args: readonly string[],
): string[] {
  return [node, `${root}/packages/bench/bin/stackbench-remote.js`, verb, ...args];
}

/** Runs a remote verb and parses its one JSON value; a failure names host, verb and stderr. */
export async function callRemote<T>(
  ws: Pick<RemoteWorkspace, 'host' | 'root' | 'node'>,
  verb: string,
  args: readonly string[] = [],
  options: RunOptions = {},
): Promise<T> {
  const stdout = await ws.host.check(remoteArgv(ws.node, ws.root, verb, args), {
    timeoutMs: 60_000,
    ...options,
  });
  const line = stdout.trim().split('\n').pop() ?? '';
  try {
    return (line === '' ? null : JSON.parse(line)) as T;
  } catch {
    throw new SshError(
      ws.host.label,
      `stackbench-remote ${verb} printed no JSON: ${line.slice(0, 200)}`,
    );
  }
}
