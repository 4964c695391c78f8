/**
 * Checks of the optional records added with window sizing, disturbance, adaptive sampling, the
 * twin and A/B sets: each is checked only when present, and a malformed one is named by its key.
 */
import {
  arrayOf,
  bool,
  type Check,
  checkEach,
  checkFields,
  checkOptional,
  isObject,
  nullable,
  num,
  oneOf,
  str,
  stringRecord,
} from './validate-checks.js';

export const twinFields: Record<string, Check> = { stack: str, env: stringRecord };

/** A stack entry's `ab`: the stack and the side (`STACK@base` / `STACK@head`). */
export const abStackFields: Record<string, Check> = { stack: str, side: oneOf('base', 'head') };

const abSideFields: Record<string, Check> = {
  ref: str,
  commit: str,
  dirty: bool,
  versions: stringRecord,
  env: stringRecord,
};

/** `manifest.ab` of an A/B set, when present: both sides and the stacks measured on both. */
export function checkAb(ab: unknown, problems: string[]): void {
  if (ab === undefined) return;
  const at = 'manifest.ab';
  if (!checkFields(ab, at, { base: isObject, head: isObject, stacks: arrayOf(str) }, problems)) {
    return;
  }
  for (const side of ['base', 'head'] as const) {
    if (isObject(ab[side])) checkFields(ab[side], `${at}.${side}`, abSideFields, problems);
  }
}

/** The optional settings of window sizing, disturbance, adaptive sampling and the twin. */
export function checkSettingsExtras(settings: unknown, problems: string[]): void {
  if (!isObject(settings)) return;
  const at = 'manifest.profile.settings';
  checkOptional(
    settings.windowSizing,
    `${at}.windowSizing`,
    { responsesPerUser: num, minRequests: num, maxDurationS: num, maxWarmupS: num },
    problems,
  );
  checkOptional(
    settings.disturbance,
    `${at}.disturbance`,
    { stealPct: num, foreignPct: num, rerun: bool },
    problems,
  );
  checkOptional(
    settings.adaptive,
    `${at}.adaptive`,
    { budgetS: num, targetResolutionPct: num, maxSamples: num },
    problems,
  );
  checkOptional(settings.twin, `${at}.twin`, twinFields, problems);
}

/** The optional records of adaptive sampling and re-runs in `manifest.method`. */
export function checkMethodExtras(method: unknown, problems: string[]): void {
  if (!isObject(method)) return;
  const at = 'manifest.method';
  if (method.adaptive !== undefined) {
    const fine = checkFields(
      method.adaptive,
      `${at}.adaptive`,
      {
        initialSamples: num,
        budgetS: num,
        targetResolutionPct: num,
        maxSamples: num,
        spentS: num,
        rounds: Array.isArray,
        stopped: nullable(str),
      },
      problems,
    );
    const rounds = fine ? (method.adaptive as Record<string, unknown>).rounds : [];
    if (Array.isArray(rounds)) {
      rounds.forEach((r, i) => {
        const path = `${at}.adaptive.rounds[${i}]`;
        if (
          checkFields(r, path, { round: num, cells: Array.isArray, why: arrayOf(str) }, problems)
        ) {
          checkEach(
            (r as Record<string, unknown>).cells,
            `${path}.cells`,
            { stack: str, connection: oneOf('keep-alive', 'close'), level: num },
            problems,
          );
        }
      });
    }
  }
  if (method.reruns !== undefined) {
    checkEach(
      method.reruns,
      `${at}.reruns`,
      { round: num, stack: str, seq: num, replacedBy: num, reason: str },
      problems,
    );
  }
}

export const noiseFields: Record<string, Check> = {
  seconds: num,
  stealPct: num,
  foreignCpuPct: num,
  driverCpuPct: num,
  stackCpuPct: num,
  runQueue: num,
  runQueueMax: num,
  disturbed: arrayOf(str),
};
