/**
 * What the profile table (profile-table.ts) gives the rest of bench: the flat TOML keys and their
 * read values, the `Overrides` type and the option-table entries of the override flags, the fields
 * left out of the hash, and the README's key table.
 */
import { flagName } from '@stackbench/cli';
import { type KeyTable, type KeyValues, keysMarkdown } from './key-reader.js';
import { type FlagSpec, PROFILE_TABLE } from './profile-table.js';

type Table = typeof PROFILE_TABLE;
type UnionToIntersection<U> = (U extends unknown ? (u: U) => void : never) extends (
  u: infer I,
) => void
  ? I
  : never;

/** Every TOML key of a profile, flat, as `readKeys` takes it. */
export type ProfileKeys = UnionToIntersection<Table[keyof Table]['keys']>;
export const PROFILE_KEYS = Object.assign(
  {},
  ...Object.values(PROFILE_TABLE).map((f) => f.keys),
) as ProfileKeys & KeyTable;
export type ProfileValues = KeyValues<ProfileKeys & KeyTable>;

/** A field fed by no TOML key and overridden by no flag is a type error here. */
type Unset = {
  [F in keyof Table]: Table[F]['keys'] extends Record<string, never>
    ? Table[F] extends { flag: unknown }
      ? never
      : F
    : never;
}[keyof Table];
const _everyFieldIsSet: [Unset] extends [never] ? true : Unset = true;
void _everyFieldIsSet;

type Flagged = { [F in keyof Table]: Table[F] extends { flag: FlagSpec } ? F : never }[keyof Table];
type FlagOf<F extends Flagged> = Table[F] extends { flag: infer S } ? S : never;

/** Command-line overrides of a profile, one per flag of the table (`--duration` → `durationS`). */
export type Overrides = {
  [F in Flagged as FlagOf<F> extends { override: infer O extends string }
    ? O
    : never]?: FlagOf<F> extends { parse: (value: never) => infer V } ? V : never;
};

/** The option table entries of the override flags, by option name, as the bins' tables spread them. */
export type ProfileFlagOptions = {
  [F in Flagged as FlagOf<F> extends { name: infer N extends string }
    ? N
    : never]: FlagOf<F> extends {
    option: infer O;
  }
    ? O
    : never;
};
export const PROFILE_FLAGS: readonly FlagSpec[] = Object.values(PROFILE_TABLE).flatMap((f) =>
  'flag' in f ? [f.flag as FlagSpec] : [],
);
export const profileFlagOptions = Object.fromEntries(
  PROFILE_FLAGS.map((f) => [f.name, f.option]),
) as ProfileFlagOptions;

/** The fields left out of the profile hash. */
export const UNHASHED_FIELDS: readonly string[] = Object.entries(PROFILE_TABLE)
  .filter(([, f]) => !f.hashed)
  .map(([field]) => field);

/** The README's table of profile keys: with the flag that overrides each and whether it is hashed. */
export function profileKeysMarkdown(): string {
  const rows = Object.values(PROFILE_TABLE).flatMap((field) =>
    Object.entries(field.keys as KeyTable).map(([key, spec]) => ({
      key,
      spec,
      extra: [
        'flag' in field ? `\`--${flagName(field.flag.name)}\`` : '',
        field.hashed ? 'yes' : 'no',
      ],
    })),
  );
  return keysMarkdown(rows, ['flag', 'in hash']);
}
