/**
 * Clock offset of a remote host against this one, NTP's way: read the host's clock between two
 * local readings; the host's clock minus the midpoint is the offset, and half the round trip
 * bounds its error. The readings go over one open ssh channel (a shell loop answering each
 * line with `date +%s%N`), so a round trip is the network and a fork, not a new ssh command;
 * the round trip with the smallest time wins (least queueing, the tightest bound).
 */
import { createInterface } from 'node:readline';
import { SshError } from '../../errors.js';
import type { SshHost } from './ssh.js';

export interface ClockReading {
  /** Host clock minus this clock, ms (add to a local time to get the host's). */
  offsetMs: number;
  /** Round trip of the best reading, ms; the offset is exact within ± rttMs / 2. */
  rttMs: number;
  samples: number;
}

const ANSWER_TIMEOUT_MS = 10_000;

export async function measureClock(host: SshHost, samples = 9): Promise<ClockReading> {
  // a fixed script: no value of ours reaches the remote shell
  const child = host.spawn(['sh', '-c', 'while read -r _; do date +%s%N; done']);
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  let best: { offsetMs: number; rttMs: number } | null = null;
  try {
    for (let i = 0; i < samples; i++) {
      const t0 = performance.timeOrigin + performance.now();
      child.stdin.write('\n');
      const timer = new Promise<never>((_, reject) =>
        setTimeout(
          () => reject(new SshError(host.label, 'no clock reading within 10 s')),
          ANSWER_TIMEOUT_MS,
        ).unref(),
      );
      const line = await Promise.race([lines.next(), timer]);
      const t1 = performance.timeOrigin + performance.now();
      if (line.done) throw new SshError(host.label, 'the clock reading channel closed');
      const remoteMs = Number(BigInt(String(line.value).trim()) / 1000n) / 1000;
      const reading = { offsetMs: remoteMs - (t0 + t1) / 2, rttMs: t1 - t0 };
      if (!best || reading.rttMs < best.rttMs) best = reading;
    }
  } finally {
    child.stdin.end();
    await child;
  }
  const r = best as { offsetMs: number; rttMs: number };
  return {
    offsetMs: Math.round(r.offsetMs * 100) / 100,
    rttMs: Math.round(r.rttMs * 100) / 100,
    samples,
  };
}
