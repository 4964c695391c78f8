import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { emptyFailures } from '../src/failure-counts.js';
import {
  type CycleResult,
  formatCycleTable,
  formatProgressLine,
  type LoadResult,
} from '../src/index.js';
import { testOptions } from './fixtures/options.js';

function cycle(users: number, extra: Partial<CycleResult> = {}): CycleResult {
  return {
    users,
    durationS: 2,
    requests: { sent: 102, carriedIn: 2, succeeded: 90, failed: 10, inFlightAtEnd: 2 },
    rps: { successful: 45, total: 50 },
    latencyMs: {
      avg: 101.5,
      min: 100,
      p10: 100.2,
      p50: 101,
      p90: 102,
      p95: 103,
      p99: 104,
      max: 110,
      stddev: 1,
    },
    failures: { ...emptyFailures(), total: 10, status: { '500': 7 }, timeout: 3 },
    bytesPerS: 1000,
    inFlightAtEnd: 2,
    driverCpu: { percent: 5, threads: 1, maxEventLoopUtilization: 0.05 },
    hostCpuBusyPercent: 30,
    driverSaturated: false,
    timeline: [],
    histogram: '',
    ...extra,
  };
}

describe('formatCycleTable', () => {
  it("has Funkload's columns, one row per cycle, failures by kind, saturation and incompleteness", () => {
    const result = {
      options: testOptions('http://127.0.0.1:1/', { cycles: [5, 10, 20] }),
      complete: false,
      cycles: [cycle(5), cycle(10, { driverSaturated: true })],
    } as unknown as LoadResult;
    const lines = formatCycleTable(result).trimEnd().split('\n');
    assert.match(
      lines[0]!,
      /^CUs\s+RPS\s+success %\s+avg ms\s+min ms\s+p10 ms\s+med ms\s+p90 ms\s+p95 ms\s+max ms$/,
    );
    assert.match(
      lines[2]!,
      /^\s*5\s+50\.0\s+90\.00\s+101\.50\s+100\.00\s+100\.20\s+101\.00\s+102\.00\s+103\.00\s+110\.00$/,
    );
    assert.match(lines[3]!, /^\s*10\*\s+50\.0/);
    assert.ok(lines.some((l) => /saturated/.test(l)));
    assert.ok(lines.includes('5 CUs: 10 failures (status 500: 7, timeout: 3)'));
    assert.equal(lines.at(-1), 'incomplete: 2 of 3 cycles ran');
  });

  it('formats a progress line with CUs, elapsed/total, current RPS and failures', () => {
    const line = formatProgressLine(
      {
        users: 50,
        cycleIndex: 1,
        phase: 'measure',
        elapsedS: 12.4,
        remainingS: 107.6,
        currentRps: 480,
        failures: 3,
      },
      7,
    );
    assert.equal(line, 'cycle 2/7  50 CUs  measure 12s/120s  480 req/s  3 failures');
  });
});
