/**
 * The building blocks of validate.ts: type checks of single values, and the field checks that
 * report each problem as `path.key: what is wrong`.
 */
export type Check = (value: unknown) => boolean;
export const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
export const num: Check = (v) => typeof v === 'number' && Number.isFinite(v);
export const str: Check = (v) => typeof v === 'string';
export const bool: Check = (v) => typeof v === 'boolean';
export const nullable =
  (check: Check): Check =>
  (v) =>
    v === null || check(v);
export const arrayOf =
  (check: Check): Check =>
  (v) =>
    Array.isArray(v) && v.every(check);
export const optional =
  (check: Check): Check =>
  (v) =>
    v === undefined || check(v);
export const runtimeInfo: Check = (v) =>
  isObject(v) &&
  str(v.name) &&
  str(v.engine) &&
  nullable(str)(v.version) &&
  nullable(str)(v.source);
export const stringRecord: Check = (v) => isObject(v) && Object.values(v).every(str);
export const oneOf =
  (...values: string[]): Check =>
  (v) =>
    typeof v === 'string' && values.includes(v);

export function checkFields(
  value: unknown,
  path: string,
  fields: Record<string, Check>,
  problems: string[],
): value is Record<string, unknown> {
  if (!isObject(value)) {
    problems.push(`${path}: expected an object`);
    return false;
  }
  for (const [key, check] of Object.entries(fields)) {
    if (!check(value[key])) problems.push(`${path}.${key}: missing or of the wrong type`);
  }
  return true;
}

/** `checkFields` for an optional (or nullable) object: checked only when present. */
export function checkOptional(
  value: unknown,
  path: string,
  fields: Record<string, Check>,
  problems: string[],
): void {
  if (value === undefined || value === null) return;
  checkFields(value, path, fields, problems);
}

/** `checkFields` for each element of an array, when the value is one (else: a problem). */
export function checkEach(
  value: unknown,
  path: string,
  fields: Record<string, Check>,
  problems: string[],
): void {
  if (!Array.isArray(value)) {
    problems.push(`${path}: expected an array`);
    return;
  }
  value.forEach((item, i) => {
    checkFields(item, `${path}[${i}]`, fields, problems);
  });
}
