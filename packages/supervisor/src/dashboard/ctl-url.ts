/**
 * `stackbench-ctl dashboard`: asks the running supervisor (over its control endpoint) where its
 * dashboard listens and which token file it wrote, and prints the page's URL with the token in
 * the fragment (`#token=…`): browsers never send a fragment to a server, so the token stays out
 * of request lines, logs and Referer headers; the page reads it and keeps it in sessionStorage.
 */
import { readFileSync } from 'node:fs';
import { UsageError } from '@stackbench/cli';
import type { StatusResult } from '../commands/status.js';
import type { Endpoint } from '../config/types.js';
import { ControlClient } from '../control/client.js';
import { DashboardNotConfiguredError, TokenFileError } from './errors.js';

/** The control token from its file; a missing or unreadable file is a `TokenFileError`. */
export function readToken(file: string): string {
  try {
    return readFileSync(file, 'utf8').trim();
  } catch (error) {
    throw new TokenFileError(file, (error as NodeJS.ErrnoException).code ?? 'unreadable');
  }
}

/** `HOST:PORT` as status prints it → what a browser opens (IPv6 bracketed, any-address → loopback). */
export function browserAddress(hostPort: string): string {
  const colon = hostPort.lastIndexOf(':');
  let host = hostPort.slice(0, colon).replace(/^\[(.*)\]$/, '$1');
  const port = hostPort.slice(colon + 1);
  // 0.0.0.0 and :: (exposed on purpose) are not addresses a browser can open.
  if (host === '0.0.0.0') host = '127.0.0.1';
  if (host === '::') host = '::1';
  return `${host.includes(':') ? `[${host}]` : host}:${port}`;
}

/** Builds the URL from a `status` result; reads the token file it names. */
export function dashboardUrl(status: StatusResult): string {
  if (!status.dashboard) throw new DashboardNotConfiguredError(status.config);
  return `http://${browserAddress(status.dashboard)}/#token=${readToken(status.tokenFile)}`;
}

/** The whole `stackbench-ctl dashboard` command: returns the line to print. */
export async function dashboardCommand(
  target: { endpoint: Endpoint; tokenFile: string | undefined },
  args: readonly string[],
  json: boolean,
): Promise<string> {
  if (args.length > 0) {
    throw new UsageError(`dashboard takes no arguments, got: ${args.join(' ')}`);
  }
  // A TCP endpoint wants the token too (a Unix endpoint's file mode is its access control).
  const token =
    target.endpoint.kind === 'tcp' && target.tokenFile ? readToken(target.tokenFile) : undefined;
  const client = await ControlClient.connect(target.endpoint, token === undefined ? {} : { token });
  try {
    const url = dashboardUrl(await client.request({ command: 'status' }));
    return json ? JSON.stringify({ url }) : url;
  } finally {
    client.close();
  }
}
