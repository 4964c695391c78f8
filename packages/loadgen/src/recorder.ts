/**
 * Counts one shard's requests against the measured window. A request belongs to the window when
 * it was in flight during it: it is counted when it finishes inside the window (a success or a
 * failure; `carriedIn` when it started before), or as `inFlightAtEnd` when the window closes on
 * it. So `carriedIn + sentInWindow = succeeded + failed + inFlightAtEnd`, exactly.
 */
import type { Histogram } from 'hdr-histogram-js';
import { countFailure, emptyFailures } from './failure-counts.js';
import type { FailureKind } from './failure-kind.js';
import { encode, newHistogram, recordMs } from './histogram.js';
import type { FailureCounts } from './result.js';
import type { TimelineBucket } from './timeline-bucket.js';
import type { UserSink } from './user.js';

/**
 * An engine stamps a request's start after our `onSent` stamp and its end before our end stamp,
 * so its latency can only be shorter than ours; longer by more than this, ms, means it timed the
 * response from an earlier request.
 */
const STALE_MS = 0.1;

interface Second {
  requests: number;
  failures: number;
  histogram: Histogram | null;
}

export class Recorder implements UserSink {
  protected windowEnd = Number.POSITIVE_INFINITY;
  sentInWindow = 0;
  carriedIn = 0;
  succeeded = 0;
  failed = 0;
  inFlightAtEnd = 0;
  bytes = 0;
  /** Successes whose engine-reported latency exceeds `endMs - startMs` (see STALE_MS). */
  staleLatencies = 0;
  readonly failures: FailureCounts = emptyFailures();
  private readonly histogram = newHistogram(3);
  private readonly seconds: Second[];
  /** The window's last second: later completions fold into it. */
  private lastSecond: number;

  constructor(
    /** Window start, in this thread's `performance.now()` ms; Infinity: set later (`openWindow`). */
    protected windowStart: number,
    /** The window's length, or the longest it may get when its start is set later, ms. */
    durationMs: number,
    /**
     * Live counters for progress and the adaptive warm-up (all phases): completions, failures,
     * and a user's first completion.
     */
    private readonly live: { completed: () => void; failed: () => void; responded: () => void },
  ) {
    this.seconds = Array.from({ length: Math.max(1, Math.ceil(durationMs / 1000)) }, () => ({
      requests: 0,
      failures: 0,
      histogram: null,
    }));
    this.lastSecond = this.seconds.length - 1;
  }

  /**
   * Sets the window's start (this thread's `performance.now()` ms) and planned length, at most
   * the capacity given to the constructor. Call it before that start has passed.
   */
  openWindow(startMs: number, durationMs: number): void {
    this.windowStart = startMs;
    const seconds = Math.max(1, Math.ceil(durationMs / 1000));
    this.lastSecond = Math.min(seconds, this.seconds.length) - 1;
  }

  protected inWindow(t: number): boolean {
    return t >= this.windowStart && t < this.windowEnd;
  }

  private second(endMs: number): Second {
    const index = Math.floor((endMs - this.windowStart) / 1000);
    // The window may overrun its planned length by a timer's lateness: fold that into the last.
    return this.seconds[Math.min(index, this.lastSecond)]!;
  }

  onFirstResponse(): void {
    this.live.responded();
  }

  onSent(startMs: number): void {
    if (this.inWindow(startMs)) this.sentInWindow++;
  }

  onSuccess(startMs: number, endMs: number, latencyMs = endMs - startMs): void {
    this.live.completed();
    if (!this.inWindow(endMs)) return;
    if (startMs < this.windowStart) this.carriedIn++;
    this.succeeded++;
    if (latencyMs - (endMs - startMs) > STALE_MS) this.staleLatencies++;
    recordMs(this.histogram, latencyMs);
    const second = this.second(endMs);
    second.requests++;
    second.histogram ??= newHistogram(2);
    recordMs(second.histogram, latencyMs);
  }

  onFailure(startMs: number, endMs: number, kind: FailureKind, detail: string): void {
    this.live.completed();
    this.live.failed();
    if (!this.inWindow(endMs)) return;
    if (startMs < this.windowStart) this.carriedIn++;
    this.failed++;
    countFailure(this.failures, kind, detail);
    const second = this.second(endMs);
    second.requests++;
    second.failures++;
  }

  onBytes(bytes: number): void {
    // Bytes are attributed by arrival time; close enough for a rate over whole seconds.
    if (this.windowEnd === Number.POSITIVE_INFINITY) this.bytes += bytes;
  }

  /** Starts byte counting at the window start (bytes before it are warm-up). */
  resetBytes(): void {
    this.bytes = 0;
  }

  /** Closes the window at `endMs` on the requests still outstanding (their start times). */
  close(endMs: number, outstanding: number[]): void {
    this.windowEnd = endMs;
    for (const startMs of outstanding) {
      if (startMs < 0) continue;
      this.inFlightAtEnd++;
      if (startMs < this.windowStart) this.carriedIn++;
    }
  }

  encodeHistogram(): string {
    return encode(this.histogram);
  }

  timeline(): TimelineBucket[] {
    return this.seconds.slice(0, this.lastSecond + 1).map((s) => ({
      requests: s.requests,
      failures: s.failures,
      histogram: s.histogram ? encode(s.histogram) : null,
    }));
  }
}
