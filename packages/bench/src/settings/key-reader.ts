/**
 * Applies a declarative key table (one per TOML file kind: profile-table.ts, stack-table.ts,
 * hosts-table.ts) to a parsed TOML table: unknown keys and values of the wrong type or out of
 * bounds are refused through the caller's `fail` (which names the file), and the README's key
 * table is generated from the same entries, so docs and checks cannot drift apart.
 */
import {
  bool,
  type Fail,
  isTable,
  num,
  onlyKeys,
  str,
  strList,
  strMap,
  type Table,
} from './toml-fields.js';

interface BaseKey {
  /** One line for the README. */
  doc: string;
  /** The default when it is not a constant (e.g. `10 × duration_s`), for the README. */
  defaultDoc?: string;
  /** Absent is an error (`is required`). */
  required?: boolean;
}
export interface NumberKey extends BaseKey {
  type: 'number';
  integer?: boolean;
  min?: number;
  max?: number;
  default?: number;
}
export interface BooleanKey extends BaseKey {
  type: 'boolean';
  default?: boolean;
  /** Words it takes besides true and false (`interleave = "auto"`). */
  also?: readonly string[];
}
export interface StringKey extends BaseKey {
  type: 'string';
  default?: string;
  choices?: readonly string[];
  /** What else a value must be: a problem, or null when it is valid. */
  check?: (value: string) => string | null;
}
export interface StringsKey extends BaseKey {
  type: 'strings';
  check?: (list: readonly string[]) => string | null;
}
export interface NumbersKey extends BaseKey {
  type: 'numbers';
  /** The valid values, for the message: `whole numbers ≥ 1`. */
  what: string;
  ok: (n: number) => boolean;
}
/** A table of number arrays under known names (`workload_cycles = { plaintext = [8, 32] }`). */
export interface NumbersMapKey extends BaseKey {
  type: 'numbersMap';
  /** The valid names, for the message. */
  names: readonly string[];
  what: string;
  ok: (n: number) => boolean;
}
/** A table of strings (`app_env`, `[keep_alive]`). */
export interface StringMapKey extends BaseKey {
  type: 'map';
}
/** A table or array of tables with keys of its own, read by the caller with its own key table. */
export interface SectionKey extends BaseKey {
  type: 'section' | 'sections';
}

export type KeySpec =
  | NumberKey
  | BooleanKey
  | StringKey
  | StringsKey
  | NumbersKey
  | NumbersMapKey
  | StringMapKey
  | SectionKey;
export type KeyTable = Record<string, KeySpec>;

type ValueOf<S extends KeySpec> = S extends NumberKey
  ? number
  : S extends BooleanKey
    ? S extends { also: readonly (infer W)[] }
      ? boolean | W
      : boolean
    : S extends StringKey
      ? string
      : S extends StringsKey
        ? string[]
        : S extends NumbersKey
          ? number[]
          : S extends NumbersMapKey
            ? Record<string, number[]>
            : S extends StringMapKey
              ? Record<string, string>
              : unknown;

/** Read values: keys with a default (or required) are always present, others may be undefined. */
export type KeyValues<T extends KeyTable> = {
  [K in keyof T]: T[K] extends { default: unknown } | { required: true }
    ? ValueOf<T[K]>
    : ValueOf<T[K]> | undefined;
};

function readOne(t: Table, key: string, spec: KeySpec, path: string, fail: Fail): unknown {
  const v = t[key];
  if (v === undefined) {
    if (spec.required) fail(path, 'is required');
    return 'default' in spec ? spec.default : undefined;
  }
  switch (spec.type) {
    case 'number':
      return num(t, key, path, fail, spec);
    case 'boolean':
      if (spec.also?.includes(v as string)) return v;
      if (spec.also && typeof v !== 'boolean') {
        fail(path, `must be true, false or ${spec.also.map((w) => `"${w}"`).join(' or ')}`);
      }
      return bool(t, key, path, fail, false);
    case 'string': {
      const s = str(t, key, path, fail);
      if (spec.choices && !spec.choices.includes(s)) {
        fail(path, `must be one of ${spec.choices.join(', ')}`);
      }
      const problem = spec.check?.(s);
      if (problem) fail(path, problem);
      return s;
    }
    case 'strings': {
      const list = strList(t, key, path, fail);
      const problem = spec.check?.(list);
      if (problem) fail(path, problem);
      return list;
    }
    case 'numbers':
      if (
        !Array.isArray(v) ||
        v.length === 0 ||
        !v.every((n) => typeof n === 'number' && spec.ok(n))
      ) {
        fail(path, `must be a non-empty array of ${spec.what}`);
      }
      return v;
    case 'numbersMap': {
      if (!isTable(v)) fail(path, `must be a table of arrays, e.g. { ${spec.names[0]} = [8, 32] }`);
      for (const [name, list] of Object.entries(v as Table)) {
        if (!spec.names.includes(name)) {
          fail(`${path}.${name}`, `unknown name; valid: ${spec.names.join(', ')}`);
        }
        if (
          !Array.isArray(list) ||
          list.length === 0 ||
          !list.every((n) => typeof n === 'number' && spec.ok(n))
        ) {
          fail(`${path}.${name}`, `must be a non-empty array of ${spec.what}`);
        }
      }
      return v;
    }
    case 'map':
      return strMap(t, key, path, fail);
    case 'section':
      if (!isTable(v)) fail(path, 'must be a table');
      return v;
    case 'sections':
      if (!Array.isArray(v) || !v.every(isTable))
        fail(path, `must be an array of tables ([[${path}]])`);
      return v;
  }
}

/**
 * Checks every key of `t` against the table (`prefix` names where `t` is, e.g. `ready.`) and
 * returns the values, defaults filled in. Relations between keys stay with the code that uses them.
 */
export function readKeys<T extends KeyTable>(
  t: Table,
  table: T,
  prefix: string,
  fail: Fail,
): KeyValues<T> {
  onlyKeys(t, prefix, Object.keys(table), fail);
  const out: Record<string, unknown> = {};
  for (const [key, spec] of Object.entries(table)) {
    out[key] = readOne(t, key, spec, `${prefix}${key}`, fail);
  }
  return out as KeyValues<T>;
}

/** What a key takes, in words: `whole number 1–65535`, `keep-alive \| close`. */
export function typeText(spec: KeySpec): string {
  const range = (s: { min?: number; max?: number }) =>
    s.min !== undefined && s.max !== undefined
      ? ` ${s.min}–${s.max}`
      : s.min !== undefined
        ? ` ≥ ${s.min}`
        : s.max !== undefined
          ? ` ≤ ${s.max}`
          : '';
  switch (spec.type) {
    case 'number':
      return `${spec.integer ? 'whole number' : 'number'}${range(spec)}`;
    case 'boolean':
      return spec.also
        ? `true, false or ${spec.also.map((w) => `"${w}"`).join(', ')}`
        : 'true or false';
    case 'string':
      return spec.choices ? spec.choices.join(' \\| ') : 'string';
    case 'strings':
      return 'array of strings';
    case 'numbers':
      return `array of ${spec.what}`;
    case 'numbersMap':
      return `table of arrays of ${spec.what}`;
    case 'map':
      return 'table of strings';
    case 'section':
      return 'table';
    case 'sections':
      return 'array of tables';
  }
}

export function defaultText(spec: KeySpec): string {
  if (spec.defaultDoc) return spec.defaultDoc;
  if (spec.required) return 'required';
  if ('default' in spec && spec.default !== undefined) return `\`${JSON.stringify(spec.default)}\``;
  return '';
}

/** One row of a README key table; `extra` fills the caller's additional columns. */
export interface KeyRow {
  key: string;
  spec: KeySpec;
  extra?: string[];
}

/** The rows of a table by section: `ready.url`, `process[].argv`; the top level unprefixed. */
export function sectionRows(table: Record<string, KeyTable>): KeyRow[] {
  return Object.entries(table).flatMap(([section, keys]) =>
    Object.entries(keys).map(([key, spec]) => ({
      key: section === '' ? key : `${section.replace(/ only$/, '')}.${key}`,
      spec,
    })),
  );
}

/** A README table of keys (generated: `checkReadmeSection` keeps the README in step). */
export function keysMarkdown(rows: KeyRow[], extraHeads: string[] = []): string {
  const cell = (text: string) => text.replace(/(?<!\\)\|/g, '\\|');
  const heads = ['key', 'type', 'default', ...extraHeads, 'description'];
  const lines = [`| ${heads.join(' | ')} |`, `|${heads.map(() => '---').join('|')}|`];
  for (const { key, spec, extra = [] } of rows) {
    const cells = [`\`${key}\``, typeText(spec), defaultText(spec), ...extra, spec.doc];
    lines.push(`| ${cells.map(cell).join(' | ')} |`);
  }
  return lines.join('\n');
}
