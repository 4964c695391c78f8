/**
 * Driver hosts' shares: users split so that they add up, and two real load-driver results (two
 * runs against one server on 127.0.0.1) merged into one document whose counts and histogram are
 * exactly the sum of both.
 */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { after, before, test } from 'node:test';
import { DEFAULT_LOAD_OPTIONS, type LoadOptions, runLoad } from '@stackbench/loadgen';
import { decode } from '@stackbench/loadgen/histogram';
import { splitLoad, splitUsers } from '../src/targets/ssh/driver-split.js';
import { mergeDriverResults } from '../src/targets/ssh/merge-load.js';

test('users are split as evenly as whole users go, and add up', () => {
  assert.deepEqual(splitUsers(3, 2), [2, 1]);
  assert.deepEqual(splitUsers(4, 2), [2, 2]);
  assert.deepEqual(splitUsers(1, 3), [1, 0, 0]);
  for (const users of [1, 7, 50, 401]) {
    for (const drivers of [1, 2, 3, 5]) {
      assert.equal(
        splitUsers(users, drivers).reduce((a, b) => a + b, 0),
        users,
      );
    }
  }
});

test('an open-loop window is refused with driver hosts, saying what to do', () => {
  assert.throws(
    () =>
      splitLoad(
        {
          url: 'http://127.0.0.1:1/',
          rates: [100],
          connections: 4,
          durationS: 1,
          warmupS: 0,
          cyclePauseS: 0,
          connection: 'keep-alive',
          timeoutS: 1,
          expectStatus: 200,
          threads: 1,
        },
        2,
      ),
    /open-loop profiles \(rates\) with driver hosts are not supported yet/,
  );
});

let server: Server;
let url = '';
before(async () => {
  server = createServer((_req, res) => {
    setTimeout(() => res.end('ok'), 2);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/`;
});
after(() => server.close());

test('two drivers merge exactly: counts summed, histograms added, each share kept', async () => {
  const options: LoadOptions = {
    ...DEFAULT_LOAD_OPTIONS,
    url,
    cycles: [3],
    durationS: 0.6,
    warmupS: 0.1,
    timeoutS: 5,
  };
  const shares = splitLoad(options, 2) as LoadOptions[];
  const results = await Promise.all(shares.map((share) => runLoad(share)));
  const clock = { offsetMs: 0, rttMs: 1, samples: 1 };
  const merged = mergeDriverResults(
    options,
    results.map((result, i) => ({
      name: `driver${i + 1}`,
      users: shares[i]?.cycles[0] as number,
      lagMs: 0,
      clock,
      result,
    })),
  );
  const [a, b] = results.map((r) => r.cycles[0]!);
  const m = merged.cycles[0]!;
  assert.equal(merged.complete, true);
  assert.equal(m.users, 3);
  for (const key of ['sent', 'carriedIn', 'succeeded', 'failed', 'inFlightAtEnd'] as const) {
    assert.equal(m.requests[key], a!.requests[key] + b!.requests[key], key);
  }
  assert.ok(m.requests.succeeded > 0);
  assert.equal(decode(m.histogram).totalCount, m.requests.succeeded);
  assert.equal(m.latencyMs.count, m.requests.succeeded);
  assert.equal(m.latencyMs.max, Math.max(a!.latencyMs.max, b!.latencyMs.max));
  assert.equal(m.latencyMs.min, Math.min(a!.latencyMs.min, b!.latencyMs.min));
  assert.equal(
    m.timeline.reduce((n, s) => n + s.requests, 0),
    a!.timeline.reduce((n, s) => n + s.requests, 0) +
      b!.timeline.reduce((n, s) => n + s.requests, 0),
  );
  assert.deepEqual(
    merged.drivers.map((d) => [d.name, d.users, d.requests.succeeded]),
    [
      ['driver1', 2, a!.requests.succeeded],
      ['driver2', 1, b!.requests.succeeded],
    ],
  );
});
