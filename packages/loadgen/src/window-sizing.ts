/**
 * The adaptive window's rule (closed loop, `LoadOptions.adaptive`), apart from any timer: when
 * the warm-up's throughput is steady, and how long the measured part then lasts.
 *
 * Steady state: the shards' summed completion counter, read from the end of ramp-up on, is cut
 * into consecutive blocks of length B = max(0.2 s, R / 2, time for ~25 completions), with the
 * throughput X since the warm-up's first completion and the response time by Little's law,
 * R = users / X − think time. Throughput is steady when every user has completed at least one
 * response and the last two blocks' rates differ by no more than 15 % of their mean plus two
 * Poisson standard deviations of the difference, 2·sqrt(n1 + n2) / B (n: completions in a block).
 * The first term is the drift we accept, the second keeps counting noise from holding a slow
 * cell (few completions per block) in warm-up forever.
 *
 * Length: planned = max(responsesPerUser × R, minRequests / X, durationS), X and R from the
 * warm-up's last block, capped at maxDurationS.
 */
import type { AdaptiveWindowOptions, SizedBy } from './window-types.js';

/** Shortest block, seconds: below it, timer jitter is a visible share of a block. */
export const MIN_BLOCK_S = 0.2;
/** A block spans at least this many response times (each user completes about one in two blocks). */
export const BLOCK_RESPONSE_TIMES = 0.5;
/** A block is long enough for about this many completions (Poisson noise ~20 %, allowed for below). */
export const BLOCK_COMPLETIONS = 25;
/** Drift accepted between the last two blocks' rates, as a share of their mean. */
export const STEADY_TOLERANCE = 0.15;
/** Poisson standard deviations of the difference of two block counts allowed on top. */
export const POISSON_SIGMAS = 2;

/** A reading of the live counters, summed over the shards. */
export interface CounterSample {
  /** Absolute ms (epoch). */
  atMs: number;
  /** Requests completed (successes and failures) since the cycle started. */
  completed: number;
  /** Users that have completed at least one request. */
  responded: number;
}

/** The last block of the warm-up (and, when two fit, the one before), as the rule saw them. */
export interface Blocks {
  /** Block length, seconds. */
  blockS: number;
  /** Completions in the block before the last one, and in the last one (interpolated). */
  n1: number;
  n2: number;
  /** The steady-state rule held. */
  steady: boolean;
}

/** Response time by Little's law for a closed loop, seconds (never below 0). */
export function littleResponseS(users: number, thinkS: number, rps: number): number {
  return Math.max(0, users / rps - thinkS);
}

/** Feeds on counter readings from the end of ramp-up on and applies the steady-state rule. */
export class SteadyStateRule {
  private readonly samples: CounterSample[] = [];

  constructor(
    private readonly users: number,
    private readonly thinkS: number,
  ) {}

  add(sample: CounterSample): void {
    this.samples.push(sample);
  }

  /** Completions counted by `atMs`, linear between readings; null before the first. */
  private completedAt(atMs: number): number | null {
    const s = this.samples;
    if (s.length === 0 || atMs < s[0]!.atMs) return null;
    let hi = s.length - 1;
    if (atMs >= s[hi]!.atMs) return s[hi]!.completed;
    let lo = 0;
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1;
      if (s[mid]!.atMs <= atMs) lo = mid;
      else hi = mid;
    }
    const a = s[lo]!;
    const b = s[hi]!;
    return a.completed + ((b.completed - a.completed) * (atMs - a.atMs)) / (b.atMs - a.atMs);
  }

  /**
   * Readings span from the first completion on, seconds, and the throughput over it (0 when too
   * short to tell). Fresh users all wait about one response time for their first answer: counting
   * that wait would halve the throughput, double R and so the blocks, and hold a saturated cell in
   * warm-up for several response times more than it needs.
   */
  private soFar(): { spanS: number; rps: number } {
    const first = this.samples.find((s) => s.completed > 0);
    const last = this.samples.at(-1);
    if (!first || !last || last.atMs <= first.atMs) return { spanS: 0, rps: 0 };
    const spanS = (last.atMs - first.atMs) / 1000;
    return { spanS, rps: (last.completed - first.completed) / spanS };
  }

  /** B from the throughput so far; Infinity while nothing completed. */
  private blockS(rps: number): number {
    if (!(rps > 0)) return Number.POSITIVE_INFINITY;
    const r = littleResponseS(this.users, this.thinkS, rps);
    return Math.max(MIN_BLOCK_S, BLOCK_RESPONSE_TIMES * r, BLOCK_COMPLETIONS / rps);
  }

  /** The last two blocks and the rule's verdict; null while two blocks do not fit yet. */
  check(): Blocks | null {
    const { spanS, rps } = this.soFar();
    const blockS = this.blockS(rps);
    if (!(2 * blockS <= spanS)) return null;
    const now = this.samples.at(-1)!;
    const mid = this.completedAt(now.atMs - blockS * 1000)!;
    const start = this.completedAt(now.atMs - 2 * blockS * 1000)!;
    const n1 = mid - start;
    const n2 = now.completed - mid;
    const r1 = n1 / blockS;
    const r2 = n2 / blockS;
    const allowed =
      (STEADY_TOLERANCE * (r1 + r2)) / 2 + (POISSON_SIGMAS * Math.sqrt(n1 + n2)) / blockS;
    const steady = now.responded >= this.users && Math.abs(r1 - r2) <= allowed;
    return { blockS, n1, n2, steady };
  }

  /**
   * The warm-up's last block for the record: B, or the whole warm-up when shorter (it hit its
   * bound before two blocks fitted); throughput over it, requests/s (0 when nothing completed).
   */
  lastBlock(): { blockS: number; rps: number } {
    const { spanS, rps } = this.soFar();
    const blockS = Math.min(this.blockS(rps), spanS);
    if (!(blockS > 0)) return { blockS: 0, rps: 0 };
    const now = this.samples.at(-1)!;
    const before = this.completedAt(now.atMs - blockS * 1000)!;
    return { blockS, rps: (now.completed - before) / blockS };
  }
}

export interface PlannedWindow {
  /** Measured seconds. */
  plannedS: number;
  sizedBy: SizedBy;
  /** Response time the plan used, seconds. */
  responseS: number;
}

/**
 * The measured part's length from the warm-up's last block (`rps` over `blockS`). With no
 * completion in it, the response time is at least the block: that lower bound is used, and the
 * requests term has no rate to go by (the bound decides unless `minRequests` is 0).
 */
export function planWindow(
  adaptive: AdaptiveWindowOptions,
  durationS: number,
  users: number,
  thinkS: number,
  block: { blockS: number; rps: number },
): PlannedWindow {
  const responseS = block.rps > 0 ? littleResponseS(users, thinkS, block.rps) : block.blockS;
  const responsesS = adaptive.responsesPerUser * responseS;
  const requestsS =
    adaptive.minRequests === 0
      ? 0
      : block.rps > 0
        ? adaptive.minRequests / block.rps
        : Number.POSITIVE_INFINITY;
  const longest = Math.max(responsesS, requestsS, durationS);
  if (longest > adaptive.maxDurationS) {
    return { plannedS: adaptive.maxDurationS, sizedBy: 'maximum', responseS };
  }
  if (longest === durationS) return { plannedS: durationS, sizedBy: 'minimum', responseS };
  // Whole milliseconds: the window's end is a timer's deadline.
  const plannedS = Math.max(durationS, Math.round(longest * 1000) / 1000);
  return { plannedS, sizedBy: responsesS >= requestsS ? 'responses' : 'requests', responseS };
}
