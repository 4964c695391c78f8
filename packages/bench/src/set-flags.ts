/**
 * The set options bench:matrix and bench:ab share (`--stacks`, `--budget`, `--samples`), into the
 * profile's overrides and, as typed, the manifest's record of them.
 */
import { UsageError } from '@stackbench/cli';
import { parseBudget } from './budget.js';
import type { Overrides } from './profiles.js';

export interface SetFlags {
  stacks?: string | undefined;
  budget?: string | undefined;
  samples?: number | undefined;
}

export function setOverrides(flags: SetFlags): {
  overrides: Overrides;
  overridesText: Record<string, string>;
} {
  const overrides: Overrides = {};
  const overridesText: Record<string, string> = {};
  if (flags.stacks !== undefined) {
    overrides.stacks = flags.stacks
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    if (overrides.stacks.length === 0)
      throw new UsageError('--stacks: give at least one stack name');
    overridesText.stacks = flags.stacks;
  }
  if (flags.budget !== undefined) {
    overrides.budgetS = parseBudget(flags.budget);
    overridesText.budget = flags.budget;
  }
  if (flags.samples !== undefined) {
    overrides.samples = flags.samples;
    overridesText.samples = String(flags.samples);
  }
  return { overrides, overridesText };
}
