/**
 * What a set measures before its first window, in order: the driver's ceiling (before the
 * orchestrator pins itself, so the null server is not squeezed onto the driver's CPUs), the
 * pinning, the app's in-process service time, then the threads the profile's highest level
 * needs. A resumed set keeps the figures it recorded.
 */
import type { Manifest } from '@stackbench/result';
import { pinSelf } from '../targets/local/pin-self.js';
import {
  ceilingLine,
  expectedPeak,
  type MeasureHostCeilings,
  measureDriverCeiling,
  needLine,
} from './driver-headroom.js';
import { appServiceTime } from './service-time.js';

export interface BeforeLoadInputs {
  resume?: string;
  /** Remote topology: service time is not this host's to claim. */
  topology?: Manifest['topology'];
  driverCeilings?: MeasureHostCeilings;
  signal: AbortSignal;
}

export async function beforeLoad(
  opts: BeforeLoadInputs,
  manifest: Manifest,
  note: (line: string) => void,
): Promise<void> {
  const settings = manifest.profile.settings;
  if (!manifest.driverCeiling) {
    manifest.driverCeiling = await measureDriverCeiling(settings, opts.driverCeilings, opts.signal);
  }
  note(ceilingLine(manifest.driverCeiling));
  if (manifest.placement.pinned && manifest.placement.driverCpus)
    await pinSelf(manifest.placement.driverCpus);
  // in-process on this host: with --hosts that is not the target, whose figure it would claim
  if (!opts.resume && !opts.topology) manifest.serviceTime = await appServiceTime(settings);
  const peak = expectedPeak(settings, manifest.serviceTime?.totalMs ?? null);
  note(
    peak
      ? needLine(manifest.driverCeiling, peak, manifest)
      : 'driver: the rates of the highest levels are not known before load (other workloads, or rates as fractions of capacity); the need is printed after round 1',
  );
}
