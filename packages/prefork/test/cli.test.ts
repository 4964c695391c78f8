/**
 * The bin end to end on bad input: each case exits non-zero with a message naming the culprit,
 * forks no worker for input it can check first, and leaves nothing running.
 */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { fixtures, PreforkProcess, pidApp } from './helpers/prefork-process.js';

const started: PreforkProcess[] = [];
after(() => {
  for (const prefork of started) prefork.end();
});

async function run(args: string[], env: NodeJS.ProcessEnv = {}) {
  const prefork = new PreforkProcess(args, env);
  started.push(prefork);
  // Bounded: a master that does not exit is a failure, not a hung suite.
  const timer = setTimeout(() => prefork.end(), 15_000);
  const exit = await prefork.exited;
  clearTimeout(timer);
  return {
    ...exit,
    log: prefork.log,
    stdout: prefork.stdout,
    booted: /Booting worker/.test(prefork.log),
  };
}

describe('stackbench-prefork bad input', () => {
  let busy: Server;
  let busyPort = 0;
  before(async () => {
    busy = createServer();
    await new Promise<void>((resolve) => busy.listen({ host: '127.0.0.1', port: 0 }, resolve));
    busyPort = (busy.address() as { port: number }).port;
  });
  after(() => busy.close());

  const cases: [string, () => string[], number, RegExp, NodeJS.ProcessEnv?][] = [
    [
      'port in use',
      () => ['-b', `127.0.0.1:${busyPort}`, pidApp],
      1,
      /cannot bind 127\.0\.0\.1:\d+: address already in use/,
    ],
    [
      'app module missing',
      () => ['-b', '127.0.0.1:0', `${fixtures}nope.mjs:app`],
      4,
      /App failed to load: .*not found/,
    ],
    [
      'app module throws',
      () => ['-b', '127.0.0.1:0', `${fixtures}broken-app.mjs:app`],
      4,
      /App failed to load: .*broken on purpose/,
    ],
    [
      'app export missing',
      () => ['-b', '127.0.0.1:0', `${fixtures}apps.mjs:nope`],
      4,
      /App failed to load: .*no export "nope"; its exports are: .*pidApp/,
    ],
    [
      'app export not a listener',
      () => ['-b', '127.0.0.1:0', `${fixtures}apps.mjs:notAListener`],
      4,
      /App failed to load: .*not a request listener/,
    ],
    ['no APP', () => ['-b', '127.0.0.1:0'], 2, /expected exactly one APP/],
    [
      'invalid worker count',
      () => ['-w', 'many', pidApp],
      2,
      /--workers \("many"\) must be a whole number/,
    ],
    [
      'unknown worker class',
      () => ['-k', 'gevent', pidApp],
      2,
      /--worker-class \("gevent"\) must be one of: node, threads/,
    ],
    [
      'unwritable log file',
      () => ['--log-file', '/nonexistent/dir/log', pidApp],
      2,
      /--log-file \/nonexistent\/dir\/log: cannot open/,
    ],
  ];
  for (const [name, args, code, message, env] of cases) {
    it(`${name} → exit ${code}`, async () => {
      const result = await run(args(), env);
      assert.equal(result.code, code, result.log);
      assert.match(result.log, message);
      assert.equal(result.booted, false, 'no worker forked');
    });
  }

  it('halts (exit 4, no respawn loop) when a worker cannot load the app the master could', async () => {
    // The master loads the app fine; the workers throw while importing it.
    const result = await run([
      '-b',
      '127.0.0.1:0',
      '-w',
      '2',
      `${fixtures}fails-in-worker.mjs:app`,
    ]);
    assert.equal(result.code, 4, result.log);
    assert.match(result.log, /Exception in worker process: .*fails in workers on purpose/);
    assert.match(result.log, /App failed to load in worker \d+ \(exit code 4/);
    const boots = result.log.match(/Booting worker/g)?.length ?? 0;
    assert.ok(boots <= 2, `booted ${boots} workers: a respawn loop`);
  });

  it('--help prints the option table and exits 0', async () => {
    const result = await run(['--help']);
    assert.equal(result.code, 0);
    assert.match(result.stdout, /^Usage: stackbench-prefork/);
    assert.match(result.stdout, /-w, --workers N/);
    assert.match(result.stdout, /env: WEB_CONCURRENCY/);
  });
});
