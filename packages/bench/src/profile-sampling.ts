/**
 * A profile's keys for results that resolve: windows sized by the cell's response time,
 * when a window counts as disturbed by the host, and adaptive sampling under a time budget.
 * Each group is absent unless the profile asks for it, so older profiles read as before.
 */
import type {
  AdaptiveSettings,
  DisturbanceSettings,
  ProfileSettings,
  WindowSizingSettings,
} from '@stackbench/result';
import { bool, type Fail, num, type Table } from './toml-fields.js';

export const SAMPLING_KEYS = [
  'responses_per_user',
  'min_requests',
  'max_duration_s',
  'max_warmup_s',
  'disturbed_steal_pct',
  'disturbed_foreign_pct',
  'rerun_disturbed',
  'budget_s',
  'target_resolution_pct',
  'max_samples',
] as const;

/** Bounds a window is held to when the profile names none (shares of all the host's CPU, %). */
export const DEFAULT_DISTURBANCE: DisturbanceSettings = {
  stealPct: 5,
  foreignPct: 15,
  rerun: false,
};

function windowSizing(
  t: Table,
  fail: Fail,
  base: { durationS: number; cycleWarmupS: number },
): WindowSizingSettings | undefined {
  const keys = ['min_requests', 'max_duration_s', 'max_warmup_s'] as const;
  if (t.responses_per_user === undefined) {
    const stray = keys.find((k) => t[k] !== undefined);
    if (stray) fail(stray, 'sizes windows only with responses_per_user (give it too)');
    return undefined;
  }
  const responsesPerUser = num(t, 'responses_per_user', 'responses_per_user', fail, {
    min: 1,
    max: 10_000,
  });
  const minRequests = num(t, 'min_requests', 'min_requests', fail, {
    fallback: 100,
    integer: true,
    min: 1,
  });
  const maxDurationS = num(t, 'max_duration_s', 'max_duration_s', fail, {
    fallback: 10 * base.durationS,
    min: base.durationS,
    max: 3600,
  });
  const maxWarmupS = num(t, 'max_warmup_s', 'max_warmup_s', fail, {
    fallback: Math.max(5, base.cycleWarmupS),
    min: base.cycleWarmupS,
    max: 3600,
  });
  return { responsesPerUser, minRequests, maxDurationS, maxWarmupS };
}

function adaptive(t: Table, fail: Fail, samples: number): AdaptiveSettings | undefined {
  if (t.budget_s === undefined) {
    const stray = (['target_resolution_pct', 'max_samples'] as const).find(
      (k) => t[k] !== undefined,
    );
    if (stray) fail(stray, 'applies to adaptive sampling, which needs budget_s (give it too)');
    return undefined;
  }
  return {
    budgetS: num(t, 'budget_s', 'budget_s', fail, { min: 1, max: 7 * 24 * 3600 }),
    targetResolutionPct: num(t, 'target_resolution_pct', 'target_resolution_pct', fail, {
      fallback: 5,
      min: 0.1,
      max: 100,
    }),
    maxSamples: num(t, 'max_samples', 'max_samples', fail, {
      fallback: 4 * samples,
      integer: true,
      min: samples,
      max: 1000,
    }),
  };
}

/**
 * The sampling groups of a profile table. `budgetS` (from `--budget`) turns adaptive sampling on
 * or changes its budget; open loops and sequential sets keep fixed windows and a fixed K.
 */
export function resolveSampling(
  t: Table,
  fail: Fail,
  base: Pick<ProfileSettings, 'durationS' | 'cycleWarmupS' | 'samples' | 'interleave' | 'cycles'>,
  budgetS: number | undefined,
): Pick<ProfileSettings, 'windowSizing' | 'disturbance' | 'adaptive'> {
  const sizing = windowSizing(t, fail, base);
  if (sizing && base.cycles.length === 0) {
    fail('responses_per_user', 'sizes closed-loop windows; an open loop keeps duration_s');
  }
  let plan = adaptive(t, fail, base.samples);
  if (budgetS !== undefined) {
    plan = {
      targetResolutionPct: plan?.targetResolutionPct ?? 5,
      maxSamples: plan?.maxSamples ?? 4 * base.samples,
      budgetS,
    };
  }
  if (plan && !base.interleave) {
    fail(
      t.budget_s === undefined ? 'budget' : 'budget_s',
      'adaptive sampling pairs stacks within rounds: it needs interleave = true (not --sequential)',
    );
  }
  const disturbance: DisturbanceSettings = {
    stealPct: num(t, 'disturbed_steal_pct', 'disturbed_steal_pct', fail, {
      fallback: DEFAULT_DISTURBANCE.stealPct,
      min: 0,
      max: 100,
    }),
    foreignPct: num(t, 'disturbed_foreign_pct', 'disturbed_foreign_pct', fail, {
      fallback: DEFAULT_DISTURBANCE.foreignPct,
      min: 0,
      max: 100,
    }),
    rerun: bool(t, 'rerun_disturbed', 'rerun_disturbed', fail, DEFAULT_DISTURBANCE.rerun),
  };
  return {
    ...(sizing ? { windowSizing: sizing } : {}),
    disturbance,
    ...(plan ? { adaptive: plan } : {}),
  };
}
