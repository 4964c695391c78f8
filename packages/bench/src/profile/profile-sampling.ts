/**
 * A profile's keys for results that resolve: windows sized by the cell's response time,
 * when a window counts as disturbed by the host, and adaptive sampling under a time budget.
 * Each group is absent unless the profile asks for it, so older profiles read as before. Types
 * and fixed bounds are the table's (settings/profile-table.ts); here, the bounds and defaults
 * that depend on other keys.
 */
import type {
  AdaptiveSettings,
  DisturbanceSettings,
  ProfileSettings,
  WindowSizingSettings,
} from '@stackbench/result';
import { PROFILE_KEYS, type ProfileValues } from '../settings/profile-keys.js';
import type { Fail } from '../settings/toml-fields.js';

/** Bounds a window is held to when the profile names none (shares of all the host's CPU, %). */
export const DEFAULT_DISTURBANCE: DisturbanceSettings = {
  stealPct: PROFILE_KEYS.disturbed_steal_pct.default,
  foreignPct: PROFILE_KEYS.disturbed_foreign_pct.default,
  rerun: PROFILE_KEYS.rerun_disturbed.default,
};

function atLeast(value: number, min: number, key: string, fail: Fail): number {
  if (value < min) fail(key, `must be at least ${min}`);
  return value;
}

/** Whether the profile gives a key (its value may equal the default). */
type Given = (key: keyof ProfileValues) => boolean;

function windowSizing(
  v: ProfileValues,
  given: Given,
  fail: Fail,
  base: { durationS: number; cycleWarmupS: number },
): WindowSizingSettings | undefined {
  if (v.responses_per_user === undefined) {
    const stray = (['min_requests', 'max_duration_s', 'max_warmup_s'] as const).find(given);
    if (stray) fail(stray, 'sizes windows only with responses_per_user (give it too)');
    return undefined;
  }
  return {
    responsesPerUser: v.responses_per_user,
    minRequests: v.min_requests,
    maxDurationS: atLeast(
      v.max_duration_s ?? 10 * base.durationS,
      base.durationS,
      'max_duration_s',
      fail,
    ),
    maxWarmupS: atLeast(
      v.max_warmup_s ?? Math.max(5, base.cycleWarmupS),
      base.cycleWarmupS,
      'max_warmup_s',
      fail,
    ),
  };
}

function adaptive(
  v: ProfileValues,
  given: Given,
  fail: Fail,
  samples: number,
): AdaptiveSettings | undefined {
  if (v.budget_s === undefined) {
    const stray = (['target_resolution_pct', 'max_samples'] as const).find(given);
    if (stray) fail(stray, 'applies to adaptive sampling, which needs budget_s (give it too)');
    return undefined;
  }
  return {
    budgetS: v.budget_s,
    targetResolutionPct: v.target_resolution_pct,
    maxSamples: atLeast(v.max_samples ?? 4 * samples, samples, 'max_samples', fail),
  };
}

/**
 * The sampling groups of a profile table. `budgetS` (from `--budget`) turns adaptive sampling on
 * or changes its budget; open loops and sequential sets keep fixed windows and a fixed K.
 */
export function resolveSampling(
  v: ProfileValues,
  given: Given,
  fail: Fail,
  base: Pick<ProfileSettings, 'durationS' | 'cycleWarmupS' | 'samples' | 'interleave' | 'cycles'>,
  budgetS: number | undefined,
): Pick<ProfileSettings, 'windowSizing' | 'disturbance' | 'adaptive'> {
  const sizing = windowSizing(v, given, fail, base);
  if (sizing && base.cycles.length === 0) {
    fail('responses_per_user', 'sizes closed-loop windows; an open loop keeps duration_s');
  }
  let plan = adaptive(v, given, fail, base.samples);
  if (budgetS !== undefined) {
    plan = {
      targetResolutionPct: plan?.targetResolutionPct ?? PROFILE_KEYS.target_resolution_pct.default,
      maxSamples: plan?.maxSamples ?? 4 * base.samples,
      budgetS,
    };
  }
  if (plan && !base.interleave) {
    fail(
      given('budget_s') ? 'budget_s' : 'budget',
      'adaptive sampling pairs stacks within rounds: it needs interleave = true (not --sequential)',
    );
  }
  const disturbance: DisturbanceSettings = {
    stealPct: v.disturbed_steal_pct,
    foreignPct: v.disturbed_foreign_pct,
    rerun: v.rerun_disturbed,
  };
  return {
    ...(sizing ? { windowSizing: sizing } : {}),
    disturbance,
    ...(plan ? { adaptive: plan } : {}),
  };
}
