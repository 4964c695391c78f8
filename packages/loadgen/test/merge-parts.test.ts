/**
 * The one merge of a cycle's parts (threads and driver hosts), against the truth computed from
 * every raw latency: counts add up, and merged percentiles are the union's within the HDR
 * histogram's precision (never an average of the parts' percentiles); rates and per-second
 * counts are summed; an open loop's service times merge the same way; a finished cycle's part
 * (a driver host's) keeps what it can and says what it cannot.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { emptyFailures } from '../src/failure-counts.js';
import { decode, encode, latencyStats, newHistogram, recordMs } from '../src/histogram.js';
import {
  cyclePart,
  type LoadPart,
  mergeParts,
  type OpenLoopCycleSpec,
} from '../src/merge-parts.js';
import type { CycleResult } from '../src/result.js';

/** A seeded generator (mulberry32), so the latencies are the same every run. */
function seeded(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Latencies (ms) with a long tail: exponential around `meanMs`, from `floorMs`. */
function latencies(n: number, floorMs: number, meanMs: number, seed: number): number[] {
  const random = seeded(seed);
  return Array.from({ length: n }, () => floorMs - Math.log(1 - random()) * meanMs);
}

const histogramOf = (ms: number[], digits: 2 | 3 = 3) => {
  const h = newHistogram(digits);
  for (const v of ms) recordMs(h, v);
  return encode(h);
};

/** A part of `windowS` seconds whose successes took `ms`, spread over its seconds. */
function part(ms: number[], windowS: number, failed = 0): LoadPart {
  const seconds = Math.ceil(windowS);
  const per = Array.from({ length: seconds }, (_, s) => ms.filter((_, i) => i % seconds === s));
  const failures = emptyFailures();
  failures.total = failed;
  failures.timeout = failed;
  return {
    windowS,
    requests: {
      sent: ms.length + failed + 1,
      carriedIn: 1,
      succeeded: ms.length,
      failed,
      inFlightAtEnd: 1,
    },
    failures,
    histogram: histogramOf(ms),
    bytes: ms.length * 100,
    timeline: per.map((xs, s) => ({
      requests: xs.length + (s === 0 ? failed : 0),
      failures: s === 0 ? failed : 0,
      histogram: xs.length ? histogramOf(xs, 2) : null,
    })),
  };
}

/** The p-th percentile of raw values as HDR defines it: the smallest v with ≥ p % at or below. */
function exactPercentile(ms: number[], p: number): number {
  const us = ms.map((v) => Math.max(1, Math.round(v * 1000))).sort((a, b) => a - b);
  return us[Math.max(0, Math.ceil((p / 100) * us.length) - 1)]! / 1000;
}

/** Within HDR's 3 significant digits (relative 2^-10), and the µs the figures are rounded to. */
const within = (actual: number, expected: number) =>
  Math.abs(actual - expected) <= expected / 1024 + 0.001;

const fast = latencies(3000, 1, 2, 1);
const slow = latencies(700, 40, 30, 2);
const rare = latencies(50, 300, 200, 3);

describe('mergeParts', () => {
  it('counts add up; percentiles are the union’s within the histogram’s precision', () => {
    const parts = [part(fast, 1), part(slow, 1, 3), part(rare, 1, 2)];
    const m = mergeParts(parts);
    const union = [...fast, ...slow, ...rare];
    for (const key of ['sent', 'carriedIn', 'succeeded', 'failed', 'inFlightAtEnd'] as const) {
      assert.equal(m.requests[key], total(parts.map((p) => p.requests[key])), key);
    }
    assert.equal(m.requests.succeeded, union.length);
    assert.equal(m.latencyMs.count, union.length);
    assert.equal(m.failures.total, 5);
    assert.equal(m.failures.timeout, 5);
    for (const [p, got] of [
      [10, m.latencyMs.p10],
      [50, m.latencyMs.p50],
      [90, m.latencyMs.p90],
      [99, m.latencyMs.p99],
      [99.9, m.latencyMs.p999],
    ] as const) {
      const truth = exactPercentile(union, p);
      assert.ok(within(got ?? Number.NaN, truth), `p${p}: merged ${got}, union ${truth}`);
    }
    // not an average of the parts' percentiles: that would put the median near 100 ms
    const averaged = total(parts.map((p) => mergeParts([p]).latencyMs.p50)) / parts.length;
    assert.ok(Math.abs(averaged - m.latencyMs.p50) > 10 * m.latencyMs.p50, `${averaged}`);
    assert.ok(within(m.latencyMs.max, Math.max(...union.map((v) => Math.round(v * 1000) / 1000))));
    // exact: the same figures as one histogram of every latency, sent as the parts are
    assert.deepEqual(m.latencyMs, latencyStats(decode(histogramOf(union))));
  });

  it('rates are summed, each part’s counts over its own window; per second counts add', () => {
    const a = part(fast, 2);
    const b = part(slow, 1);
    const m = mergeParts([a, b]);
    assert.equal(m.durationS, 2);
    assert.equal(m.rps.successful, Math.round((fast.length / 2 + slow.length) * 100) / 100);
    assert.equal(m.bytesPerS, Math.round((fast.length * 100) / 2 + slow.length * 100));
    assert.equal(m.timeline.length, 2);
    for (const [s, sample] of m.timeline.entries()) {
      const parts = [a, b].map((p) => p.timeline[s]);
      assert.equal(sample.requests, total(parts.map((x) => x?.requests ?? 0)));
      assert.ok(sample.p50Ms !== null && sample.p95Ms !== null);
    }
    // second 1 holds only the fast part's successes: its p95 is theirs, within 2 digits
    const second1 = fast.filter((_, i) => i % 2 === 1);
    assert.ok(
      Math.abs(m.timeline[1]!.p95Ms! - exactPercentile(second1, 95)) <=
        exactPercentile(second1, 95) / 64,
    );
  });

  it('an open loop: scheduled, written and service times merge exactly', () => {
    const spec: OpenLoopCycleSpec = {
      arrivals: 'uniform',
      offeredRps: 400,
      connections: 4,
      maxConnections: 10,
    };
    const service = [fast.slice(0, 200), slow.slice(0, 200)];
    const lag = [latencies(200, 0.1, 0.5, 4), latencies(200, 0.1, 2, 5)];
    const parts = [0, 1].map((i) => ({
      ...part(i === 0 ? fast.slice(0, 200) : slow.slice(0, 200), 1),
      openLoop: {
        scheduled: 201,
        written: 200,
        delayed: i,
        waitingAtEnd: 1,
        peakConnections: 2 + i,
        serviceHistogram: histogramOf(service[i]!),
        sendLag: histogramOf(lag[i]!),
      },
    }));
    const o = mergeParts(parts, spec).openLoop!;
    assert.equal(o.offeredRps, 400);
    assert.equal(o.scheduled, 402);
    assert.equal(o.scheduledRps, 402);
    assert.equal(o.written, 400);
    assert.equal(o.achievedRps, 400);
    assert.equal(o.rateAchieved, true);
    assert.equal(o.delayed, 1);
    assert.deepEqual(o.connections, { initial: 4, limit: 10, peak: 5 });
    assert.equal(o.serviceTimeMs.count, 400);
    assert.ok(within(o.serviceTimeMs.p99, exactPercentile(service.flat(), 99)));
    assert.equal(o.sendLagMs.count, 400);
    assert.ok(within(o.sendLagMs.p99, exactPercentile(lag.flat(), 99)));
  });

  it('finished cycles (driver hosts): exact latencies, per-second percentiles unknown', () => {
    const parts = [part(fast, 1), part(slow, 1)];
    const cycles = parts.map((p) => {
      const m = mergeParts([p], {
        arrivals: 'uniform',
        offeredRps: 100,
        connections: 2,
        maxConnections: 4,
      });
      return { users: 2, ...m } as unknown as CycleResult;
    });
    const fromCycles = mergeParts(cycles.map(cyclePart));
    const fromParts = mergeParts(parts);
    assert.deepEqual(fromCycles.requests, fromParts.requests);
    assert.deepEqual(fromCycles.latencyMs, fromParts.latencyMs);
    assert.equal(fromCycles.rps.successful, fromParts.rps.successful);
    assert.deepEqual(
      fromCycles.timeline.map((s) => [s.requests, s.p50Ms]),
      [[fast.length + slow.length, null]],
    );
  });
});

function total(xs: number[]): number {
  return xs.reduce((a, b) => a + b, 0);
}
