/**
 * The driver's headroom for a set: its ceiling, measured once before any load on each driver
 * host (this host's loopback, or each driver host's over ssh), and how many load threads the
 * profile's highest level needs given it — before the set from the rates the profile implies
 * (an open loop's `rates`; the seed app's users over its measured service time, Little's law
 * without queueing, an upper bound), and after the first round from the rates achieved (which
 * a driver-bound cell caps: then the need is at least that).
 */
import { type CeilingOptions, DEFAULT_CEILING_OPTIONS, measureCeiling } from '@stackbench/loadgen';
import {
  DRIVER_BOUND_PCT,
  driverRate,
  isDriverBound,
  perThreadCeiling,
  threadsNeeded,
} from '@stackbench/report';
import type {
  DriverCeiling,
  HostCeiling,
  Manifest,
  ProfileSettings,
  StackResult,
} from '@stackbench/result';
import { profileLevels } from '../profile/profile-load.js';

/** How a set measures its drivers' ceilings: remote driver hosts, or (absent) this host. */
export type MeasureHostCeilings = (
  threads: number,
  timing: CeilingTiming,
) => Promise<HostCeiling[]>;

/** How long a ceiling is read: its measured seconds and the warm-up before them. */
export type CeilingTiming = Pick<CeilingOptions, 'durationS' | 'warmupS'>;

/**
 * The ceiling is read for as long as one of the set's windows, at most 1.5 s (a third of it
 * warming up, at most 0.5 s): what the driver sustains over a window is what a window can need,
 * and a smoke set's 0.5 s windows do not wait 3 s for it.
 */
export function ceilingTiming(settings: ProfileSettings): CeilingTiming {
  const durationS = Math.min(DEFAULT_CEILING_OPTIONS.durationS, settings.durationS);
  return { durationS, warmupS: Math.min(DEFAULT_CEILING_OPTIONS.warmupS, durationS / 3) };
}

const int = (v: number) => Math.round(v).toLocaleString('en-US');

export async function measureDriverCeiling(
  settings: ProfileSettings,
  remote: MeasureHostCeilings | undefined,
  signal: AbortSignal,
): Promise<DriverCeiling> {
  const threads = settings.loadThreads;
  const timing = ceilingTiming(settings);
  let hosts: HostCeiling[];
  if (remote) hosts = await remote(threads, timing);
  else {
    const c = await measureCeiling(
      {
        threads,
        connections: DEFAULT_CEILING_OPTIONS.connectionsPerThread * threads,
        ...timing,
      },
      signal,
    );
    const { driverSaturated: _flag, connections: _all, ...record } = c;
    hosts = [{ host: 'local', ...record }];
  }
  return { boundPct: DRIVER_BOUND_PCT, hosts };
}

export function ceilingLine(ceiling: DriverCeiling): string {
  return `driver ceiling: ${ceiling.hosts
    .map(
      (h) =>
        `${int(h.perThreadRps)} req/s per thread on ${h.host} (${h.threads} thread(s), ${h.connectionsPerThread} connections each, host CPU ${h.hostCpuBusyPercent} % busy)`,
    )
    .join('; ')}; a window is driver-bound from ${ceiling.boundPct} % of its threads × that`;
}

/** The rate the profile's highest level implies before any load, or null where none can be known. */
export function expectedPeak(
  settings: ProfileSettings,
  serviceTimeMs: number | null,
): { rps: number; why: string } | null {
  if (settings.ratesOfCapacity?.length) return null;
  if (settings.rates?.length) {
    return { rps: Math.max(...settings.rates), why: "the profile's highest offered rate" };
  }
  const onlySeed = (settings.workloads ?? ['seed']).every((w) => w === 'seed');
  if (!onlySeed || !serviceTimeMs) return null;
  const users = Math.max(...profileLevels(settings));
  return {
    rps: users / (serviceTimeMs / 1000),
    why: `${users} users over the app's ${serviceTimeMs.toFixed(1)} ms service time, at most`,
  };
}

/** One line: the threads `rps` needs against the threads the set runs, and what to change. */
export function needLine(
  ceiling: DriverCeiling,
  peak: { rps: number; why: string },
  manifest: Pick<Manifest, 'profile' | 'topology'>,
): string {
  const settings = manifest.profile.settings;
  const driverHosts = manifest.topology?.drivers?.length ?? 1;
  const need = threadsNeeded(ceiling, peak.rps) as number;
  const perThread = perThreadCeiling(ceiling) as number;
  const has = settings.loadThreads * driverHosts;
  const where = driverHosts > 1 ? ` on each of ${driverHosts} driver hosts` : '';
  const verdict =
    need <= has
      ? 'enough'
      : `too few: set load_threads = ${Math.ceil(need / driverHosts)}${driverHosts > 1 ? '' : ' (if the host has the cores)'} or load from ${Math.ceil(need / settings.loadThreads)} driver hosts (--hosts)`;
  return `driver: ${int(peak.rps)} req/s (${peak.why}) needs ${need} load thread(s) at ${ceiling.boundPct} % of ${int(perThread)} req/s per thread; the set runs ${settings.loadThreads}${where}: ${verdict}`;
}

/** The fastest rate the driver had to sustain in `round`, over every stack's windows. */
export function achievedPeak(
  results: Iterable<StackResult>,
  round: number,
  ceiling: DriverCeiling,
): { rps: number; why: string } | null {
  let best: { rps: number; why: string } | null = null;
  for (const result of results) {
    for (const run of result.runs.filter((r) => r.round === round)) {
      for (const w of run.windows) {
        const cycle = w.load.cycles[0];
        if (!cycle) continue;
        const rps = driverRate(w, cycle);
        if (!best || rps > best.rps) {
          best = {
            rps,
            why: `the fastest window of round ${round}, ${result.stack.name} at level ${w.offeredRps ?? w.cus}${isDriverBound(w, ceiling) ? '; driver-bound, so the need is higher' : ''}`,
          };
        }
      }
    }
  }
  return best;
}

/** After round 1: the need from what the round achieved (null when nothing to say). */
export function roundNeedLine(
  manifest: Manifest,
  results: Iterable<StackResult>,
  round: number,
): string | null {
  const ceiling = manifest.driverCeiling;
  if (!ceiling || perThreadCeiling(ceiling) === null) return null;
  const peak = achievedPeak(results, round, ceiling);
  return peak ? needLine(ceiling, peak, manifest) : null;
}
