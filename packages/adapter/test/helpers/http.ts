/** One request per connection (no agent), so tests control exactly which sockets exist. */
import { request } from 'node:http';

export interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export function httpRequest(
  address: string,
  path = '/',
  options: {
    method?: string;
    body?: string;
    headers?: Record<string, string>;
    socketPath?: string;
  } = {},
): Promise<Reply> {
  const [host, port] = address.startsWith('unix:') ? [undefined, undefined] : address.split(':');
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host,
        port: port === undefined ? undefined : Number(port),
        socketPath: address.startsWith('unix:') ? address.slice(5) : undefined,
        path,
        method: options.method ?? 'GET',
        headers: options.headers,
        agent: false,
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          body += chunk;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

/** Resolves once `check()` is true, polling; rejects after `timeoutMs`. */
export async function until(
  check: () => boolean,
  timeoutMs = 5000,
  what = 'condition',
): Promise<void> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
