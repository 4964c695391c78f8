/**
 * The manifest a matrix starts from: a new one (profile resolved for the host, placement, the
 * method with its seed), or the one of an interrupted set to resume (same host, no new options).
 */
import { resolve } from 'node:path';
import { readManifest } from '@stackbench/report';
import { type HostFacts, MANIFEST_SCHEMA, type Manifest, type Topology } from '@stackbench/result';
import { ResumeError } from '../errors.js';
import { type Overrides, profileHash, resolveProfile } from '../profile/profiles.js';
import { onPath } from '../stack/requirements.js';
import { listStacks } from '../stack/stack-def.js';
import { suiteRevision } from '../targets/local/git-info.js';
import { planPlacement } from '../targets/local/placement.js';
import type { Target } from '../targets/target.js';
import type { MeasureHostCeilings } from './driver-headroom.js';
import { setTimestamp } from './result-set.js';

/** What a set is made from: the workspace, the profile with its overrides, the seed, the host. */
export interface SetInputs {
  root: string;
  stacksDir: string;
  outRoot: string;
  profile?: string;
  overrides: Overrides;
  /** The overrides as typed, for the manifest. */
  overridesText: Record<string, string>;
  /** Seed of the window order (a new set). */
  seed: number;
  resume?: string;
  target: Target;
  /** Remote topology (--hosts); absent: local. */
  topology?: Topology;
  /** How to measure the driver hosts' ceilings (--hosts); absent: on this host. */
  driverCeilings?: MeasureHostCeilings;
}

/**
 * `host`: the target's facts, read once per set (its load is sampled later, by the matrix). Its
 * directory is claimed later (`claimSetDirectory`), once the inputs are known to be good.
 */
export async function freshManifest(
  opts: SetInputs,
  host: HostFacts,
): Promise<{ manifest: Manifest; interleaveAsked: boolean | 'auto' }> {
  const profile = resolveProfile(
    opts.stacksDir,
    opts.profile,
    host.cores,
    opts.overrides,
    listStacks(opts.stacksDir),
  );
  const startedAt = new Date();
  const setId = `${setTimestamp(startedAt)}-${profile.name}`;
  let s = profile.settings;
  let hash = profile.hash;
  if (opts.topology && s.windowSizing) {
    // driver hosts start a window on one schedule, fixed in advance: a window sized by what one
    // driver sees in its warm-up would end at different times on each; so fixed windows, and the
    // settings (and hash) say so
    const { windowSizing: _sized, ...fixed } = s;
    s = fixed;
    hash = profileHash(s);
  }
  const manifest: Manifest = {
    schema: MANIFEST_SCHEMA,
    setId,
    suite: await suiteRevision(opts.root),
    profile: { name: profile.name, hash, settings: s },
    overrides: opts.overridesText,
    host,
    placement: opts.topology
      ? {
          pinned: false,
          driverCpus: null,
          stackCpus: null,
          reason: 'stacks on the target host, load from driver hosts',
        }
      : planPlacement(host.cores, onPath('taskset')),
    topology: opts.topology ?? { kind: 'local' },
    serviceTime: null,
    method: { interleave: s.interleave, samples: s.samples, seed: opts.seed, order: [] },
    stacks: [],
    startedAt: startedAt.toISOString(),
    endedAt: null,
    complete: false,
  };
  return { manifest, interleaveAsked: profile.interleaveAsked };
}

export function resumeManifest(
  opts: SetInputs,
  hostSlug: string,
): { dir: string; manifest: Manifest } {
  const dir = resolve(opts.resume as string);
  const manifest = readManifest(dir);
  if (manifest.complete) throw new ResumeError(`${dir} is complete already; nothing to resume`);
  if (manifest.host.slug !== hostSlug) {
    throw new ResumeError(`${dir} was measured on host ${manifest.host.slug}, this is ${hostSlug}`);
  }
  if (Object.keys(opts.overridesText).length || opts.profile) {
    throw new ResumeError(
      '--resume takes the profile and overrides from the set; do not pass them again',
    );
  }
  return { dir, manifest };
}
