/**
 * The recorder of an open-loop shard. A request's start, for the window's accounting and for
 * its latency, is its **intended** time: the user arrived then, whether or not a connection was
 * free (coordinated omission is corrected by construction, as in wrk2). On top of the closed
 * loop's counts it keeps what only an open loop has: writes, requests that waited for a
 * connection, the driver's send lag and the service time (actual write → last byte).
 */
import { encode, newHistogram, recordMs } from '../histogram.js';
import { Recorder } from '../recorder.js';

export interface OpenLoopShardStats {
  /** Requests written to a connection in the window (by write time). */
  written: number;
  /** Requests intended in the window that found no free connection and waited. */
  delayed: number;
  /** Still waiting for a connection when the window closed. */
  waitingAtEnd: number;
  /** Largest pool size reached. */
  peakConnections: number;
  /** HDR base64 (µs): service times of the window's successes. */
  serviceHistogram: string;
  /** HDR base64 (µs): intended → written, of the window's writes. */
  sendLagHistogram: string;
}

export class OpenLoopRecorder extends Recorder {
  written = 0;
  delayed = 0;
  private readonly service = newHistogram(3);
  private readonly sendLag = newHistogram(3);

  /** A request's intended time has come (it counts as sent from now on). */
  onArrival(intendedMs: number): void {
    this.onSent(intendedMs);
  }

  /** It found no free connection and waits in the driver's queue. */
  onDelayed(intendedMs: number): void {
    if (this.inWindow(intendedMs)) this.delayed++;
  }

  /** It was written to a connection at `sentMs`. */
  onWritten(intendedMs: number, sentMs: number): void {
    if (!this.inWindow(sentMs)) return;
    this.written++;
    recordMs(this.sendLag, sentMs - intendedMs);
  }

  /** A success: latency from the intended time, service time from the write. */
  onServed(intendedMs: number, sentMs: number, endMs: number): void {
    this.onSuccess(intendedMs, endMs);
    if (this.inWindow(endMs)) recordMs(this.service, endMs - sentMs);
  }

  stats(waitingAtEnd: number, peakConnections: number): OpenLoopShardStats {
    return {
      written: this.written,
      delayed: this.delayed,
      waitingAtEnd,
      peakConnections,
      serviceHistogram: encode(this.service),
      sendLagHistogram: encode(this.sendLag),
    };
  }
}
