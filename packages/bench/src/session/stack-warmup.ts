/**
 * A stack's warm-up, at the start of each run, before its first window.
 *
 * By default (the sets before it was a choice): `warmup_s` of load at the first level of the first
 * workload. That leaves most of a fresh stack's code uncompiled. Measured on a 2-core host with a
 * warm driver (prefork-rr, 4 workers, 10 users): plaintext with keep-alive served 8,000 req/s in
 * its first second and 36,000 from its third; with a new connection per request (the accept
 * path) it climbed from 2,000 to 5,000 req/s over 4 s; the seed's app was steady after 1 s. A
 * window measured in that climb measures the stack's compiler, and in a shuffled round some
 * windows come early and some late (bench README, "A fresh stack's warm-up").
 *
 * With `warmup_requests_per_worker` (`--warmup-requests`): each connection mode of the set is
 * warmed on each workload in turn, the cheapest first (the HTTP and accept paths warm with
 * requests, whatever serves them), at the workload's highest level, in slices of `warmup_s`. A
 * piece ends once its mode has served the requests asked for and a slice's throughput no longer
 * climbs above the best slice before it (more than STEADY_TOLERANCE of it plus two Poisson
 * standard deviations of the difference, so counting noise in a slow cell does not hold it); a
 * piece whose mode had its requests before it started needs one slice (its workload's own code).
 * At most MAX_SLICES slices a piece. The run records every piece's slices and whether it ended
 * steady.
 */

import { connectionModes, workloadsOf } from '@stackbench/report';
import type {
  ConnectionMode,
  ProfileSettings,
  StackWarmup,
  WorkloadName,
} from '@stackbench/result';
import { windowLoadOptions } from '../window/window-load.js';
import { firstWorkload } from './app-expectations.js';
import { checkAlive, loadOf, type RunContext, type StackSession, timed } from './stack-session.js';

/** A slice above the best before it by more than this share of it is still climbing. */
export const STEADY_TOLERANCE = 0.05;
/** Poisson standard deviations of the difference of two slices' counts allowed on top. */
export const POISSON_SIGMAS = 2;
/** The most slices one workload × connection mode gets, steady or not. */
export const MAX_SLICES = 12;
/** Cheapest requests first: they bring a mode's request count up soonest. */
const CHEAPEST_FIRST: readonly WorkloadName[] = ['plaintext', 'json', 'db', 'seed'];

/**
 * Whether the last of these slices' completion counts (slices of one length) climbs above the
 * best of those before it; true while fewer than two were seen.
 */
export function stillClimbing(counts: readonly number[]): boolean {
  if (counts.length < 2) return true;
  const last = counts.at(-1) ?? 0;
  const best = Math.max(...counts.slice(0, -1));
  return last - best > STEADY_TOLERANCE * best + POISSON_SIGMAS * Math.sqrt(last + best);
}

/** One workload × connection mode to warm, at `users`, and the requests its mode needs. */
export interface WarmupPiece {
  workload: WorkloadName;
  connection: ConnectionMode;
  users: number;
  /** Requests the mode must have served (0: one slice, the default warm-up). */
  modeRequests: number;
}

/** A workload × connection mode a round measures on a stack. */
export type WarmupNeed = Pick<WarmupPiece, 'workload' | 'connection'>;

/**
 * What a stack is warmed on, in order. `needs`: what its round measures (an adaptive round may
 * run a few cells): only those modes, on those workloads plus the set's cheapest, whose requests
 * bring the mode's count up soonest. Absent: all of the set's.
 */
export function warmupPieces(s: ProfileSettings, needs?: readonly WarmupNeed[]): WarmupPiece[] {
  const open = Boolean(s.rates?.length || s.ratesOfCapacity?.length);
  const perWorker = s.warmupRequestsPerWorker;
  if (perWorker === undefined) {
    const users = s.cycles[0] ?? s.capacityCus ?? 1;
    return [{ workload: firstWorkload(s), connection: 'keep-alive', users, modeRequests: 0 }];
  }
  const rank = (w: WorkloadName) => CHEAPEST_FIRST.indexOf(w);
  const workloads = [...workloadsOf(s)].sort((a, b) => rank(a) - rank(b));
  return connectionModes(s).flatMap((connection) => {
    const asked = needs?.filter((n) => n.connection === connection).map((n) => n.workload);
    if (asked?.length === 0) return [];
    return workloads
      .filter((w) => !asked || w === workloads[0] || asked.includes(w))
      .map((workload) => {
        const levels = open ? [] : (s.workloadCycles?.[workload] ?? s.cycles);
        const users = levels.length ? Math.max(...levels) : (s.capacityCus ?? 1);
        return { workload, connection, users, modeRequests: perWorker * s.workers };
      });
  });
}

/** A first guess of one stack's warm-up, seconds, before a run has shown it (progress, budget). */
export function plannedWarmupS(s: ProfileSettings): number {
  if (s.warmupS <= 0) return 0;
  // a piece took 1-10 slices on the 2-core host, about 3 in the median
  return s.warmupRequestsPerWorker === undefined
    ? s.warmupS
    : 3 * s.warmupS * warmupPieces(s).length;
}

/**
 * Whether a piece is done after these slices' counts: its mode has served `modeRequests` (`served`
 * includes earlier pieces' requests) and it no longer climbs; one slice when the mode had them
 * before the piece began (`before`); MAX_SLICES at most.
 */
export function pieceDone(
  counts: readonly number[],
  served: number,
  before: number,
  modeRequests: number,
): { done: boolean; steady: boolean } {
  if (modeRequests === 0 || before >= modeRequests) return { done: true, steady: true };
  const steady = served >= modeRequests && !stillClimbing(counts);
  return { done: steady || counts.length >= MAX_SLICES, steady };
}

/**
 * Loads the stack piece by piece until each is warm, for what its round measures (`needs`;
 * absent: everything the set measures); nothing of it is measured.
 */
export async function warmUp(
  session: StackSession,
  ctx: RunContext,
  needs?: readonly WarmupNeed[],
): Promise<void> {
  const s = ctx.settings;
  if (session.failed || s.warmupS <= 0) return;
  const warmups: StackWarmup[] = [];
  session.run.warmups = warmups;
  const served = new Map<ConnectionMode, number>();
  await timed(session.run.lifecycle, 'warmupMs', async () => {
    for (const piece of warmupPieces(s, needs)) {
      const { modeRequests, ...where } = piece;
      const before = served.get(piece.connection) ?? 0;
      const counts: number[] = [];
      const record: StackWarmup = { ...where, sliceS: s.warmupS, rps: [], steady: false };
      warmups.push(record);
      for (;;) {
        if (ctx.signal.aborted || session.failed) return;
        ctx.progress.phase(
          session.stack.name,
          `warming up: ${piece.workload}, ${piece.users} users, ${piece.connection}, slice ${counts.length + 1} of ${s.warmupS} s`,
        );
        const result = await loadOf(ctx)(
          {
            ...windowLoadOptions(s, session.url, piece.users, piece),
            durationS: s.warmupS,
            warmupS: 0,
          },
          { signal: ctx.signal },
        );
        checkAlive(session);
        const cycle = result.cycles[0];
        const completed = cycle ? cycle.requests.succeeded + cycle.requests.failed : 0;
        const seconds = cycle?.durationS || s.warmupS;
        served.set(piece.connection, (served.get(piece.connection) ?? 0) + completed);
        // slices last warmup_s up to the timers' jitter: compare counts per warmup_s
        counts.push((completed * s.warmupS) / seconds);
        record.rps.push(Math.round((completed / seconds) * 10) / 10);
        const end = pieceDone(counts, served.get(piece.connection) ?? 0, before, modeRequests);
        if (end.done) {
          record.steady = end.steady;
          break;
        }
      }
    }
  });
}
