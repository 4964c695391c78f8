/**
 * A bounded load loop: `concurrency` clients send GET requests (one connection per request) to
 * 127.0.0.1:port until `stop()` is called or `maxMs` passes, counting successes and failures.
 */
import http from 'node:http';

export interface LoadResult {
  ok: number;
  failed: number;
  errors: string[];
}

export function startLoad(
  port: number,
  options: { concurrency?: number; maxMs?: number; path?: string } = {},
) {
  const result: LoadResult = { ok: 0, failed: 0, errors: [] };
  const deadline = Date.now() + (options.maxMs ?? 20_000);
  let stopped = false;
  const once = () =>
    new Promise<void>((resolve) => {
      const req = http.get(
        { host: '127.0.0.1', port, path: options.path ?? '/', agent: false, timeout: 10_000 },
        (res) => {
          res.resume();
          res.on('end', () => {
            if (res.statusCode === 200) result.ok++;
            else {
              result.failed++;
              result.errors.push(`status ${res.statusCode}`);
            }
            resolve();
          });
        },
      );
      req.on('timeout', () => req.destroy(new Error('timeout')));
      req.on('error', (error: NodeJS.ErrnoException) => {
        result.failed++;
        result.errors.push(error.code ?? error.message);
        resolve();
      });
    });
  const loop = async () => {
    while (!stopped && Date.now() < deadline) await once();
  };
  const running = Promise.all(Array.from({ length: options.concurrency ?? 4 }, loop));
  return {
    result,
    async stop(): Promise<LoadResult> {
      stopped = true;
      await running;
      return result;
    },
  };
}
