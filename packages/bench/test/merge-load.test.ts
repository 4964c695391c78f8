/**
 * Driver hosts' results merged (the split itself is loadgen's, tested there): two real
 * load-driver runs against one server on 127.0.0.1, each given its share by `splitLoad`, merged
 * into one document whose counts and histogram are exactly the sum of both, with each host's
 * share kept; closed loop and open loop.
 */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { after, before, test } from 'node:test';
import {
  DEFAULT_LOAD_OPTIONS,
  type LoadOptions,
  type LoadResult,
  type LoadShare,
  type OpenLoopOptions,
  runLoad,
  splitLoad,
} from '@stackbench/loadgen';
import { decode, latencyStats, newHistogram } from '@stackbench/loadgen/histogram';
import { mergeDriverResults } from '../src/targets/ssh/merge-load.js';

const clock = { offsetMs: 0, rttMs: 1, samples: 1 };

/** Each share run as a driver host would, then merged. */
async function runShares(options: LoadOptions | OpenLoopOptions) {
  const shares = splitLoad(options, 2) as LoadShare[];
  const results: LoadResult[] = await Promise.all(shares.map((s) => runLoad(s.options)));
  const merged = mergeDriverResults(
    options,
    results.map((result, i) => ({
      name: `driver${i + 1}`,
      users: shares[i]?.users as number,
      lagMs: 0,
      clock,
      result,
    })),
  );
  return { merged, cycles: results.map((r) => r.cycles[0]!) };
}

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
  const { merged, cycles } = await runShares(options);
  const [a, b] = cycles;
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

test('an open loop over two drivers: rate split, counts summed, latencies merged exactly', async () => {
  const { startupDelayS: _s, sleepTimeS: _t, ...common } = DEFAULT_LOAD_OPTIONS;
  const options: OpenLoopOptions = {
    ...common,
    url,
    rates: [300],
    connections: 3,
    durationS: 0.8,
    warmupS: 0.1,
    timeoutS: 5,
  };
  const { merged, cycles } = await runShares(options);
  const m = merged.cycles[0]!;
  assert.equal(merged.complete, true);
  // each host got its share of the rate and of the connections
  assert.deepEqual(
    merged.drivers.map((d) => [d.users, d.offeredRps]),
    [
      [2, 150],
      [1, 150],
    ],
  );
  assert.equal(m.openLoop?.offeredRps, 300);
  assert.equal(m.openLoop?.connections.initial, 3);
  for (const key of ['sent', 'carriedIn', 'succeeded', 'failed', 'inFlightAtEnd'] as const) {
    assert.equal(
      m.requests[key],
      cycles.reduce((n, c) => n + c.requests[key], 0),
      key,
    );
  }
  assert.equal(
    m.openLoop?.scheduled,
    cycles.reduce((n, c) => n + (c.openLoop?.scheduled ?? 0), 0),
  );
  assert.ok(m.requests.succeeded > 0);
  // the merged latencies (from intended starts) are the hosts' histograms added
  const added = newHistogram(3);
  for (const d of merged.drivers) added.add(decode(d.histogram as string));
  assert.deepEqual(m.latencyMs, latencyStats(added));
  assert.equal(m.latencyMs.count, m.requests.succeeded);
  assert.equal(m.openLoop?.serviceTimeMs.count, m.requests.succeeded);
});
