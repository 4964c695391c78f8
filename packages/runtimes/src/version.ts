/**
 * Runtime versions as the binaries print them (`v24.1.0`, `1.2.3`, `deno 2.1.0 (stable, …)`),
 * reduced to numbers so a stack's minimum version can be checked.
 */

/** `[major, minor, patch]` of the first x.y.z in `text`, or null. */
export function versionNumbers(text: string): [number, number, number] | null {
  const match = /(\d+)\.(\d+)(?:\.(\d+))?/.exec(text);
  if (!match) return null;
  return [Number(match[1]), Number(match[2]), Number(match[3] ?? 0)];
}

/** True when `version` is at least `minimum` (both as printed, e.g. `v22.12.0` and `22.12`). */
export function atLeast(version: string, minimum: string): boolean {
  const have = versionNumbers(version);
  const want = versionNumbers(minimum);
  if (!have || !want) return false;
  for (let i = 0; i < 3; i++) {
    if ((have[i] as number) !== (want[i] as number))
      return (have[i] as number) > (want[i] as number);
  }
  return true;
}
