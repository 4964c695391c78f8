/**
 * A small HTTP client for the tests: one request, or a few sequential loops for a bounded time
 * that count every failure (the "simple client loop" the HUP and max-requests tests load with).
 */
import { Agent, request } from 'node:http';

export interface Reply {
  status: number;
  pid: number;
  body: string;
}

export function get(port: number, path = '/', agent?: Agent): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, agent: agent ?? false }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (chunk: string) => {
        body += chunk;
      });
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, pid: Number(res.headers['x-worker-pid']), body }),
      );
      res.on('error', reject);
    });
    req.setTimeout(10_000, () => req.destroy(new Error('request timed out')));
    req.on('error', reject);
    req.end();
  });
}

export interface LoadResult {
  ok: number;
  failed: number;
  errors: string[];
  pids: Set<number>;
}

/**
 * `loops` concurrent sequential clients, keep-alive or a new connection each, until `until`
 * settles (then `tailMs` more, so the new state is also seen under load) or `maxMs` passed,
 * whichever comes first: bounded, yet not tied to how fast a loaded host boots workers.
 */
export async function loadUntil(
  port: number,
  options: {
    until: Promise<unknown>;
    tailMs?: number;
    maxMs?: number;
    loops?: number;
    keepAlive?: boolean;
    path?: string;
  },
): Promise<LoadResult> {
  const loops = options.loops ?? 4;
  const agent = options.keepAlive ? new Agent({ keepAlive: true, maxSockets: loops }) : undefined;
  const result: LoadResult = { ok: 0, failed: 0, errors: [], pids: new Set() };
  let end = Date.now() + (options.maxMs ?? 15_000);
  const settled = () => {
    end = Math.min(end, Date.now() + (options.tailMs ?? 300));
  };
  options.until.then(settled, settled);
  const loop = async () => {
    while (Date.now() < end) {
      try {
        const reply = await get(port, options.path ?? '/', agent);
        if (reply.status === 200) {
          result.ok += 1;
          result.pids.add(reply.pid);
        } else {
          result.failed += 1;
          result.errors.push(`status ${reply.status}`);
        }
      } catch (error) {
        result.failed += 1;
        result.errors.push((error as Error).message);
      }
    }
  };
  await Promise.all(Array.from({ length: loops }, loop));
  agent?.destroy();
  return result;
}
