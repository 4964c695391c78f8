/**
 * The driver-bound flag on real loads: one load thread against the null server (a server that
 * costs nothing) runs at its own ceiling and is flagged; the same thread against a server that
 * answers after 50 ms is not. And the need the matrix prints, from the profile's rates.
 */
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, describe, test } from 'node:test';
import { measureCeiling, runLoad, startNullServer } from '@stackbench/loadgen';
import { isDriverBound } from '@stackbench/report';
import type { DriverCeiling, Manifest, ProfileSettings, SampleWindow } from '@stackbench/result';
import { expectedPeak, needLine } from '../src/set/driver-headroom.js';

const closedLoop = (url: string, users: number) => ({
  url,
  cycles: [users],
  durationS: 1,
  warmupS: 0.3,
  startupDelayS: 0,
  cyclePauseS: 0,
  sleepTimeS: 0,
  connection: 'keep-alive' as const,
  timeoutS: 10,
  expectStatus: 200,
  threads: 1,
  engine: 'native' as const,
});

const asWindow = (load: SampleWindow['load']) => ({ offeredRps: null, load }) as SampleWindow;

describe('driver-bound on real loads', () => {
  const slow = http.createServer((_req, res) => {
    setTimeout(() => res.end('ok'), 50);
  });
  after(() => new Promise<void>((resolve) => slow.close(() => resolve())));

  test('one thread against the null server is driver-bound; against a 50 ms server it is not', async () => {
    // The ceiling and the load are two timed runs: on a shared host (the test lanes run side by
    // side) the other lane can halve either one, as it can a set's windows against the set's
    // ceiling. So the pair is measured up to three times, back to back; one flagged pair shows
    // the wiring, and a null server never flagged in three says the flag is wrong.
    const tries: string[] = [];
    let ceiling: DriverCeiling | undefined;
    let flagged = false;
    for (let i = 0; i < 3 && !flagged; i++) {
      const c = await measureCeiling({ threads: 1, connections: 64, durationS: 1, warmupS: 0.3 });
      const { driverSaturated: _s, connections: _c, ...record } = c;
      ceiling = { boundPct: 70, hosts: [{ host: 'local', ...record }] };
      const server = await startNullServer(1);
      let fast: SampleWindow['load'];
      try {
        fast = (await runLoad(closedLoop(server.url, 64))) as SampleWindow['load'];
      } finally {
        await server.close();
      }
      tries.push(`null server at ${fast.cycles[0]!.rps.total} req/s, ceiling ${c.perThreadRps}`);
      flagged = isDriverBound(asWindow(fast), ceiling);
    }
    assert.ok(flagged && ceiling, `never flagged: ${tries.join('; ')}`);

    await new Promise<void>((resolve) => slow.listen(0, '127.0.0.1', resolve));
    const port = (slow.address() as AddressInfo).port;
    const sleepy = (await runLoad(
      closedLoop(`http://127.0.0.1:${port}/`, 8),
    )) as SampleWindow['load'];
    assert.ok(sleepy.cycles[0]!.rps.total > 0);
    assert.equal(
      isDriverBound(asWindow(sleepy), ceiling),
      false,
      `50 ms server at ${sleepy.cycles[0]!.rps.total} req/s`,
    );
  });
});

describe('the threads a profile needs', () => {
  const ceiling: DriverCeiling = {
    boundPct: 70,
    hosts: [
      {
        host: 'local',
        perThreadRps: 10_000,
        rps: 10_000,
        threads: 1,
        connectionsPerThread: 64,
        durationS: 1.5,
        serverProcesses: 1,
        driverCpuPercent: 100,
        maxEventLoopUtilization: 1,
        hostCpuBusyPercent: 90,
        at: '2026-01-01T00:00:00.000Z',
      },
    ],
  };
  const settings = { loadThreads: 1, cycles: [50, 400] } as ProfileSettings;
  /** The manifest's part needLine reads: the profile, and `drivers` driver hosts (1: local). */
  const set = (drivers: number) =>
    ({
      profile: { settings },
      ...(drivers > 1 ? { topology: { kind: 'remote', drivers: Array(drivers).fill({}) } } : {}),
    }) as unknown as Pick<Manifest, 'profile' | 'topology'>;

  test('from the seed app users over its service time, or an open loop rates', () => {
    assert.deepEqual(expectedPeak(settings, 100)?.rps, 4000);
    assert.equal(expectedPeak({ ...settings, rates: [100, 20_000] }, null)?.rps, 20_000);
    assert.equal(expectedPeak({ ...settings, ratesOfCapacity: [0.5, 1] }, 100), null);
    assert.equal(expectedPeak({ ...settings, workloads: ['plaintext'] }, 100), null);
  });

  test('enough, or too few with what to change', () => {
    assert.match(
      needLine(ceiling, { rps: 4000, why: 'w' }, set(1)),
      /needs 1 load thread\(s\).*: enough$/,
    );
    const line = needLine(ceiling, { rps: 20_000, why: 'w' }, set(1));
    assert.match(
      line,
      /needs 3 load thread\(s\) at 70 % of 10,000 req\/s per thread; the set runs 1: too few: set load_threads = 3/,
    );
    assert.match(needLine(ceiling, { rps: 20_000, why: 'w' }, set(2)), /load from 3 driver hosts/);
  });
});
