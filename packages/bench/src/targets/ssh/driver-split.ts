/**
 * A window's users split across the driver hosts: as evenly as whole users go (the first hosts
 * take one more when it does not divide). A host whose share is 0 (fewer users than hosts) sits
 * the window out and is recorded as such; the users add up to the window's either way.
 */
import { type AnyLoadOptions, isOpenLoop, type LoadOptions } from '@stackbench/loadgen';
import { ProfileError } from '../../errors.js';

export function splitUsers(users: number, drivers: number): number[] {
  const base = Math.floor(users / drivers);
  return Array.from({ length: drivers }, (_, i) => base + (i < users % drivers ? 1 : 0));
}

/** Each driver's options (null: no users this window). One cycle per window, as the matrix runs. */
export function splitLoad(options: AnyLoadOptions, drivers: number): (LoadOptions | null)[] {
  if (isOpenLoop(options)) {
    throw new ProfileError(
      'open-loop profiles (rates) with driver hosts are not supported yet: run them locally (without --hosts), or use a closed-loop profile',
    );
  }
  if (options.cycles.length !== 1) throw new Error('a window is one cycle');
  return splitUsers(options.cycles[0] as number, drivers).map((users) =>
    users === 0 ? null : { ...options, cycles: [users], threads: Math.min(options.threads, users) },
  );
}
