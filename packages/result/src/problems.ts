/**
 * Turns TypeBox's errors into the contract's problem lines: `path.of[2].key: what is wrong, what
 * would be valid`. One line per key; a nullable or optional record that is present is checked
 * field by field (so the line names the field, not the record).
 */
import type { TSchema } from '@sinclair/typebox';
import { type ValueError, ValueErrorType } from '@sinclair/typebox/errors';
import { Value } from '@sinclair/typebox/value';

export const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** `/runs/2/windows/0/load` under `stack` → `stack.runs[2].windows[0].load`. */
export function dottedPath(root: string, pointer: string): string {
  let out = root;
  for (const raw of pointer.split('/').slice(1)) {
    const key = raw.replaceAll('~1', '/').replaceAll('~0', '~');
    out += /^\d+$/.test(key) ? `[${key}]` : `.${key}`;
  }
  return out;
}

/** What a schema accepts, in words. */
export function expected(schema: TSchema): string {
  if (schema.const !== undefined) return JSON.stringify(schema.const);
  if (Array.isArray(schema.anyOf)) {
    const variants = schema.anyOf as TSchema[];
    if (variants.every((v) => v.const !== undefined)) {
      return `one of ${variants.map((v) => JSON.stringify(v.const)).join(', ')}`;
    }
    return variants.map(expected).join(' or ');
  }
  switch (schema.type) {
    case 'string':
      return 'a string';
    case 'number':
      return 'a finite number';
    case 'boolean':
      return 'true or false';
    case 'null':
      return 'null';
    case 'array':
      return `an array of ${expected(schema.items as TSchema).replace(/^an? /, '')}s`;
    case 'object':
      return schema.patternProperties ? 'an object of strings' : 'an object';
    default:
      return 'a value of the declared type';
  }
}

function got(value: unknown): string {
  if (Array.isArray(value)) return 'an array';
  if (isObject(value)) return 'an object';
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}

/** The variant of a union a present value was meant to be (its kind), when exactly one is. */
function meantVariant(error: ValueError): number {
  const variants = (error.schema.anyOf ?? []) as TSchema[];
  const kind = Array.isArray(error.value) ? 'array' : isObject(error.value) ? 'object' : null;
  if (kind === null) return -1;
  const matching = variants.flatMap((v, i) => (v.type === kind ? [i] : []));
  return matching.length === 1 ? (matching[0] as number) : -1;
}

function* flatten(errors: Iterable<ValueError>): Generator<ValueError> {
  for (const error of errors) {
    const variant = error.type === ValueErrorType.Union ? meantVariant(error) : -1;
    const nested = error.errors[variant];
    if (nested) yield* flatten(nested);
    else yield error;
  }
}

/** Every problem of `value` against `schema`, one line per key, in the declaration's order. */
export function schemaProblems(schema: TSchema, value: unknown, root: string): string[] {
  const all = [...flatten(Value.Errors(schema, value))];
  const missing = new Set(
    all.filter((e) => e.type === ValueErrorType.ObjectRequiredProperty).map((e) => e.path),
  );
  const lines = new Map<string, string>();
  for (const error of all) {
    if (error.type === ValueErrorType.ObjectRequiredProperty || lines.has(error.path)) continue;
    const what = missing.has(error.path)
      ? `missing; expected ${expected(error.schema)}`
      : `expected ${expected(error.schema)}, got ${got(error.value)}`;
    lines.set(error.path, `${dottedPath(root, error.path)}: ${what}`);
  }
  return [...lines.values()];
}
