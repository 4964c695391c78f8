import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { emptyFailures } from '../src/failure-counts.js';
import { encode, newHistogram, recordMs } from '../src/histogram.js';
import { mergeShards } from '../src/merge.js';
import type { ShardResult } from '../src/shard-types.js';

function shard(latenciesMs: number[], extra: Partial<ShardResult> = {}): ShardResult {
  const h = newHistogram(3);
  const second = newHistogram(2);
  for (const ms of latenciesMs) {
    recordMs(h, ms);
    recordMs(second, ms);
  }
  return {
    measureStartMs: 0,
    windowEndMs: 1000,
    sentInWindow: latenciesMs.length,
    carriedIn: 0,
    succeeded: latenciesMs.length,
    failed: 0,
    inFlightAtEnd: 0,
    lost: 0,
    staleLatencies: 0,
    bytes: 100,
    failures: emptyFailures(),
    histogram: encode(h),
    timeline: [{ requests: latenciesMs.length, failures: 0, histogram: encode(second) }],
    eventLoopUtilization: 0.1,
    processCpuUs: 100_000,
    hostCpuBusyPercent: 50,
    aborted: false,
    ...extra,
  };
}

describe('mergeShards', () => {
  it('merges histograms exactly: percentiles of the union, not averages of percentiles', () => {
    // Shard A is all fast, shard B all slow: averaging medians would give 50.5 ms.
    const a = shard(Array.from({ length: 90 }, () => 1));
    const b = shard(Array.from({ length: 10 }, () => 100));
    const c = mergeShards(2, 0, 2, [a, b]);
    assert.equal(c.requests.succeeded, 100);
    // Within HDR's 3 significant digits (per second: 2).
    const near = (actual: number | null, expected: number, digits: number) =>
      assert.ok(
        actual !== null && Math.abs(actual - expected) <= expected * 10 ** -digits,
        `${actual}`,
      );
    near(c.latencyMs.p50, 1, 2);
    near(c.latencyMs.p90, 1, 2);
    near(c.latencyMs.p95, 100, 3);
    near(c.latencyMs.max, 100, 3);
    near(c.latencyMs.avg, 10.9, 2);
    assert.equal(c.timeline[0]!.requests, 100);
    near(c.timeline[0]!.p50Ms, 1, 1);
    near(c.timeline[0]!.p95Ms, 100, 1);
    assert.equal(c.rps.successful, 100);
    assert.equal(c.bytesPerS, 200);
  });

  it('flags the driver as saturated when a load thread is > 90% busy or CPU is near capacity', () => {
    assert.equal(mergeShards(1, 0, 1, [shard([1])]).driverSaturated, false);
    assert.equal(
      mergeShards(1, 0, 1, [shard([1], { eventLoopUtilization: 0.95 })]).driverSaturated,
      true,
    );
    const busy = mergeShards(1, 0, 1, [shard([1], { processCpuUs: 950_000 })]);
    assert.equal(busy.driverCpu.percent, 95);
    assert.equal(busy.driverSaturated, true);
  });

  it('reports what an engine lost as in flight at the end, and apart for autocannon', () => {
    // 5 sent: 2 succeeded, 1 outstanding at the end, 2 never reported.
    const lossy = shard([1, 1], { sentInWindow: 5, inFlightAtEnd: 1, lost: 2, staleLatencies: 1 });
    const c = mergeShards(1, 0, 1, [lossy, shard([1])], 'autocannon');
    assert.deepEqual(c.requests, {
      sent: 6,
      carriedIn: 0,
      succeeded: 3,
      failed: 0,
      inFlightAtEnd: 3,
    });
    assert.equal(c.inFlightAtEnd, 3);
    assert.deepEqual(c.autocannon, { inFlightAtEnd: 1, lost: 2, staleLatencies: 1 });
    assert.equal(mergeShards(1, 0, 1, [shard([1])]).autocannon, undefined);
  });
});
