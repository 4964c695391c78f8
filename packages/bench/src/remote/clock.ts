/**
 * Clock offset of a remote host against this one, NTP's way over ssh round trips: read the
 * host's clock (`date +%s%N`, no interpreter start) between two local readings; the host's
 * clock minus the midpoint is the offset, and half the round trip bounds its error. The round
 * trip with the smallest time wins (least queueing, so the tightest bound).
 */
import type { SshHost } from './ssh.js';

export interface ClockReading {
  /** Host clock minus this clock, ms (add to a local time to get the host's). */
  offsetMs: number;
  /** Round trip of the best reading, ms; the offset is exact within ± rttMs / 2. */
  rttMs: number;
  samples: number;
}

export async function measureClock(host: SshHost, samples = 5): Promise<ClockReading> {
  let best: ClockReading | null = null;
  for (let i = 0; i < samples; i++) {
    const t0 = Date.now();
    const out = await host.check(['date', '+%s%N']);
    const t1 = Date.now();
    const remoteMs = Number(BigInt(out.trim()) / 1000n) / 1000;
    const reading = { offsetMs: remoteMs - (t0 + t1) / 2, rttMs: t1 - t0, samples };
    if (!best || reading.rttMs < best.rttMs) best = reading;
  }
  const r = best as ClockReading;
  return { offsetMs: Math.round(r.offsetMs * 10) / 10, rttMs: r.rttMs, samples };
}
