/**
 * The profile overrides a bench bin was given (`--duration`, `--stacks`, `--budget`, …, each a
 * flag of a profile setting in settings/profile-table.ts) into the profile's overrides and, as
 * typed, the manifest's record of them. bench:matrix, bench:ab and bench:pr-check share it.
 */
import { type Overrides, PROFILE_FLAGS } from '../settings/profile-keys.js';

/** Parsed option values by option name: a bin passes its whole table's values. */
export function setOverrides(flags: object): {
  overrides: Overrides;
  overridesText: Record<string, string>;
} {
  const overrides: Record<string, unknown> = {};
  const overridesText: Record<string, string> = {};
  for (const flag of PROFILE_FLAGS) {
    const value = (flags as Record<string, unknown>)[flag.name];
    // a boolean flag overrides only when given (false is its default)
    if (value === undefined || value === false) continue;
    overrides[flag.override] = (flag.parse as (v: unknown) => unknown)(value);
    overridesText[flag.name] = String(value);
  }
  return { overrides: overrides as Overrides, overridesText };
}
