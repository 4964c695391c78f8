/**
 * Every setting of a profile (stacks/profiles.toml), one entry per field of `ProfileSettings`:
 * the TOML keys that feed it (type, bounds, default, doc), whether it enters the profile hash,
 * and the command-line flag that overrides it. Reading (profiles.ts), the overrides of the bench
 * bins (set-flags.ts, options.ts), the hash and the README's key table all come from here (the
 * derived forms: profile-keys.ts). The table is typed against `ProfileSettings`: a field without
 * an entry, or an entry without a field, does not compile. Adding a key: one entry here, plus
 * the code that uses its value.
 */
import type { ProfileSettings } from '@stackbench/result';
import type { FieldEntry } from './profile-flags.js';
import { LOAD_FIELDS } from './profile-load-table.js';
import { SET_FIELDS } from './profile-set-table.js';

export type { FlagSpec } from './profile-flags.js';

/** One entry per field, in two files by theme; the type below checks the whole. */
export const PROFILE_TABLE = { ...LOAD_FIELDS, ...SET_FIELDS } as const satisfies {
  [F in keyof Required<ProfileSettings> | 'description']: FieldEntry;
};
