/**
 * Typed reads of a parsed TOML table, each failure a `StackDefinitionError`-style message that
 * names the file and the key and says what is valid. Used by settings/key-reader.ts.
 */
export type Table = Record<string, unknown>;
export type Fail = (key: string, problem: string) => never;

export const isTable = (v: unknown): v is Table =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);

export function onlyKeys(table: Table, prefix: string, valid: readonly string[], fail: Fail): void {
  for (const key of Object.keys(table)) {
    if (!valid.includes(key)) {
      fail(`${prefix}${key}`, `unknown key; valid keys: ${valid.join(', ')}`);
    }
  }
}

export function str(
  table: Table,
  key: string,
  path: string,
  fail: Fail,
  fallback?: string,
): string {
  const v = table[key];
  if (v === undefined && fallback !== undefined) return fallback;
  if (typeof v !== 'string' || v === '') fail(path, 'must be a non-empty string');
  return v as string;
}

export function num(
  table: Table,
  key: string,
  path: string,
  fail: Fail,
  opts: { fallback?: number; min?: number; max?: number; integer?: boolean } = {},
): number {
  const v = table[key];
  if (v === undefined && opts.fallback !== undefined) return opts.fallback;
  const ok = typeof v === 'number' && Number.isFinite(v) && (!opts.integer || Number.isInteger(v));
  if (!ok) fail(path, `must be ${opts.integer ? 'a whole number' : 'a number'}`);
  if (opts.min !== undefined && (v as number) < opts.min)
    fail(path, `must be at least ${opts.min}`);
  if (opts.max !== undefined && (v as number) > opts.max) fail(path, `must be at most ${opts.max}`);
  return v as number;
}

export function bool(table: Table, key: string, path: string, fail: Fail, fallback: boolean) {
  const v = table[key];
  if (v === undefined) return fallback;
  if (typeof v !== 'boolean') fail(path, 'must be true or false');
  return v as boolean;
}

export function strList(table: Table, key: string, path: string, fail: Fail): string[] {
  const v = table[key];
  if (v === undefined) return [];
  if (!Array.isArray(v) || !v.every((x) => typeof x === 'string' && x !== '')) {
    fail(path, 'must be an array of non-empty strings');
  }
  return v as string[];
}

export function strMap(
  table: Table,
  key: string,
  path: string,
  fail: Fail,
): Record<string, string> {
  const v = table[key];
  if (v === undefined) return {};
  if (!isTable(v)) fail(path, 'must be a table of strings');
  const out: Record<string, string> = {};
  for (const [k, x] of Object.entries(v as Table)) {
    if (typeof x !== 'string') fail(`${path}.${k}`, 'must be a string');
    out[k] = x as string;
  }
  return out;
}
