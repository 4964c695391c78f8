/**
 * The pieces a profile table entry is made of (profile-table.ts): an entry's shape, its flag's
 * shape, and the checks a profile key and its flag share (`connections`, `runtimes`).
 */
import { MAX_TIMER_SECONDS, type OptionSpec, UsageError } from '@stackbench/cli';
import { RUNTIME_NAMES } from '@stackbench/runtimes';
import type { KeyTable } from './key-reader.js';

export const CONNECTION_MODES = ['keep-alive', 'close'] as const;

/** `connections`, in the profile and as `--connections`: known modes, each once. */
export function connectionsProblem(list: readonly string[]): string | null {
  const known = list.every((m) => (CONNECTION_MODES as readonly string[]).includes(m));
  if (list.length && known && new Set(list).size === list.length) return null;
  return `give ${CONNECTION_MODES.join(' and/or ')}, each once`;
}

export const WORKLOAD_NAMES = ['seed', 'plaintext', 'json', 'db'] as const;

/** The app whose routes serve every workload (packages/app; the seed's work at any other path). */
export const WORKLOAD_APP = '@stackbench/app:benchApp';

/** `workloads`, in the profile and as `--workloads`: known workloads, each once. */
export function workloadsProblem(list: readonly string[]): string | null {
  const unknown = list.filter((w) => !(WORKLOAD_NAMES as readonly string[]).includes(w));
  if (list.length === 0) return `give at least one workload, from: ${WORKLOAD_NAMES.join(', ')}`;
  if (unknown.length) {
    return `unknown workload ${unknown.join(', ')}; valid workloads: ${WORKLOAD_NAMES.join(', ')}`;
  }
  if (new Set(list).size !== list.length) return 'names a workload twice';
  return null;
}

/** `runtimes = ["node20", "bun"]` and `--runtimes`: names from the catalog, each once. */
export function runtimesProblem(list: readonly string[]): string | null {
  const unknown = list.filter((n) => !RUNTIME_NAMES.includes(n));
  if (list.length === 0) return `give at least one runtime, from: ${RUNTIME_NAMES.join(', ')}`;
  if (unknown.length) {
    return `unknown runtime ${unknown.join(', ')}; valid runtimes: ${RUNTIME_NAMES.join(', ')}`;
  }
  if (new Set(list).size !== list.length) return 'names a runtime twice';
  return null;
}

/** A comma-separated flag value, checked like the profile key it overrides. */
export function commaList(raw: string, flag: string, problemOf: (list: string[]) => string | null) {
  const list = raw.split(',').map((s) => s.trim());
  const problem = problemOf(list);
  if (problem) throw new UsageError(`--${flag} ${raw}: ${problem}`);
  return list;
}

export interface FlagSpec {
  /** The option's key in the bins' option tables (`--kebab-case` of it on the command line). */
  name: string;
  option: OptionSpec;
  /** The `Overrides` key it sets. */
  override: string;
  /** The parsed option value → the override (throws a UsageError naming the flag). */
  parse: (value: never) => unknown;
}

export interface FieldEntry {
  /** In the profile hash: it changes what a window measures (not which stacks, nor how many). */
  hashed: boolean;
  keys: KeyTable;
  flag?: FlagSpec;
}

// seconds a timer will wait for: past 2^31-1 ms Node would fire at once
export const timer = { max: MAX_TIMER_SECONDS } as const;
export const whole = (n: number) => Number.isInteger(n) && n > 0;
