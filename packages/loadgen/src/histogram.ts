/**
 * Latency histograms (HDR, values in microseconds): built the same way everywhere so that shards
 * from different threads merge exactly, and travel between threads as compressed base64.
 */
import * as hdr from 'hdr-histogram-js';
import type { LatencyStats } from './result.js';

/** Highest latency we can record, µs (one day); longer values are clamped to it. */
export const HIGHEST_US = 86_400_000_000;

/** 3 significant digits for the cycle histogram (µs resolution below 1 ms), 2 per second. */
export function newHistogram(digits: 2 | 3 = 3): hdr.Histogram {
  return hdr.build({
    lowestDiscernibleValue: 1,
    highestTrackableValue: HIGHEST_US,
    numberOfSignificantValueDigits: digits,
    bitBucketSize: 32,
    useWebAssembly: false,
  });
}

/** Records a duration given in ms (float) as whole microseconds, at least 1. */
export function recordMs(histogram: hdr.Histogram, ms: number): void {
  histogram.recordValue(Math.min(HIGHEST_US, Math.max(1, Math.round(ms * 1000))));
}

export function encode(histogram: hdr.Histogram): string {
  return hdr.encodeIntoCompressedBase64(histogram);
}

export function decode(base64: string): hdr.Histogram {
  return hdr.decodeFromCompressedBase64(base64, 32, false);
}

const ms = (us: number) => Math.round(us) / 1000;

/** The latency figures of the result document, ms with µs precision; zeros when empty. */
export function latencyStats(histogram: hdr.Histogram): LatencyStats {
  if (histogram.totalCount === 0) {
    return {
      count: 0,
      avg: 0,
      min: 0,
      p10: 0,
      p50: 0,
      p90: 0,
      p95: 0,
      p99: 0,
      p999: 0,
      max: 0,
      stddev: 0,
    };
  }
  const at = (p: number) => ms(histogram.getValueAtPercentile(p));
  return {
    count: histogram.totalCount,
    avg: ms(histogram.mean),
    min: ms(histogram.minNonZeroValue),
    p10: at(10),
    p50: at(50),
    p90: at(90),
    p95: at(95),
    p99: at(99),
    p999: at(99.9),
    max: ms(histogram.maxValue),
    stddev: ms(histogram.stdDeviation),
  };
}
