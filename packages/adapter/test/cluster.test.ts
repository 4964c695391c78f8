/** serve() inside node:cluster workers (prefork's use): cluster shares the primary's socket. */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { describe, it } from 'node:test';
import { fixture } from './helpers/adapter-process.js';
import { httpRequest } from './helpers/http.js';

for (const backend of ['node', 'threads']) {
  describe(`serve() in cluster workers (${backend})`, () => {
    it('two workers serve one host:port and both take requests', async () => {
      const primary = spawn(
        process.execPath,
        [fixture('cluster-serve.js'), backend, `${fixture('apps.js')}:pid`],
        {
          stdio: ['ignore', 'pipe', 'inherit'],
          detached: true,
        },
      );
      try {
        const line = await new Promise<string>((resolve, reject) => {
          primary.stdout.setEncoding('utf8');
          primary.stdout.on('data', (chunk: string) => {
            if (chunk.startsWith('ready ')) resolve(chunk.trim());
          });
          primary.once('exit', (code) => reject(new Error(`cluster primary exited (${code})`)));
        });
        const addresses = line.split(' ').slice(1);
        assert.equal(addresses.length, 1, `both workers on one address: ${line}`);
        const pids = new Set<string>();
        for (let i = 0; i < 10 && pids.size < 2; i++)
          pids.add((await httpRequest(addresses[0] as string)).body);
        assert.equal(pids.size, 2, 'round-robin reached both workers');
      } finally {
        try {
          process.kill(-(primary.pid as number), 'SIGKILL');
        } catch {
          // gone
        }
      }
    });
  });
}
