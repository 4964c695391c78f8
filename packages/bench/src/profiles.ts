/**
 * stacks/profiles.toml → the profile a matrix runs, resolved for this host (`*_per_core` keys
 * scale with the core count) and with command-line overrides applied. Its hash (over everything
 * that changes the figures, not over which stacks or how many repetitions) says which result
 * sets are comparable.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MAX_TIMER_SECONDS } from '@stackbench/cli';
import { stableStringify } from '@stackbench/report';
import type { ConnectionMode, ProfileSettings, TwinOf } from '@stackbench/result';
import { RUNTIME_NAMES } from '@stackbench/runtimes';
import { parse } from 'smol-toml';
import { ProfileError } from './errors.js';
import { LOAD_KEYS, resolveLoadAxis } from './profile-load.js';
import { resolveSampling, SAMPLING_KEYS } from './profile-sampling.js';
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

export interface Overrides {
  stacks?: string[];
  cycles?: number[];
  durationS?: number;
  workers?: number;
  samples?: number;
  interleave?: boolean;
  connections?: ConnectionMode[];
  runtimes?: string[];
  /** `--budget`: the time budget of adaptive sampling, seconds. */
  budgetS?: number;
  /** `--twin STACK[:ENV=VALUE,...]`. */
  twin?: TwinOf;
}

export interface ResolvedProfile {
  name: string;
  description: string;
  hash: string;
  settings: ProfileSettings;
}

const KEYS = [
  'description',
  'workers',
  'workers_per_core',
  ...LOAD_KEYS,
  'duration_s',
  'warmup_s',
  'cycle_warmup_s',
  'pause_s',
  'backlog',
  'timeout',
  'threads',
  'load_threads',
  'request_timeout_s',
  'samples',
  'interleave',
  'connections',
  'stacks',
  'runtimes',
  'app',
  'app_env',
  ...SAMPLING_KEYS,
];

export const CONNECTION_MODES = ['keep-alive', 'close'] as const;

/** `connections = ["keep-alive", "close"]`: absent stays absent, so older profiles keep their hash. */
function connectionsKey(t: Table, fail: Fail): Pick<ProfileSettings, 'connections'> {
  if (t.connections === undefined) return {};
  const list = t.connections;
  if (
    !Array.isArray(list) ||
    list.length === 0 ||
    !list.every((m) => (CONNECTION_MODES as readonly unknown[]).includes(m)) ||
    new Set(list).size !== list.length
  ) {
    fail(
      'connections',
      `must list connection modes without repeats, from: ${CONNECTION_MODES.join(', ')}`,
    );
  }
  return { connections: list as ConnectionMode[] };
}

/** `runtimes = ["node20", "bun"]`: names from the catalog, each once; absent stays absent. */
export function runtimesProblem(list: readonly string[]): string | null {
  const unknown = list.filter((n) => !RUNTIME_NAMES.includes(n));
  if (list.length === 0) return `give at least one runtime, from: ${RUNTIME_NAMES.join(', ')}`;
  if (unknown.length) {
    return `unknown runtime ${unknown.join(', ')}; valid runtimes: ${RUNTIME_NAMES.join(', ')}`;
  }
  if (new Set(list).size !== list.length) return 'names a runtime twice';
  return null;
}

function runtimesKey(t: Table, fail: Fail): Pick<ProfileSettings, 'runtimes'> {
  if (t.runtimes === undefined) return {};
  const list = strList(t, 'runtimes', 'runtimes', fail);
  const problem = runtimesProblem(list);
  if (problem) fail('runtimes', problem);
  return { runtimes: list };
}

export function profilesFile(stacksDir: string): string {
  return join(stacksDir, 'profiles.toml');
}

function readProfiles(stacksDir: string): { file: string; doc: Table; names: string[] } {
  const file = profilesFile(stacksDir);
  if (!existsSync(file)) throw new ProfileError(`${file}: the profiles file is missing`);
  let doc: Table;
  try {
    doc = parse(readFileSync(file, 'utf8')) as Table;
  } catch (error) {
    throw new ProfileError(`${file}: ${(error as Error).message.split('\n')[0]}`);
  }
  const names = Object.keys(doc).filter((k) => isTable(doc[k]));
  return { file, doc, names };
}

export function listProfiles(stacksDir: string): { names: string[]; defaultName: string } {
  const { doc, names, file } = readProfiles(stacksDir);
  const defaultName = doc.default;
  if (typeof defaultName !== 'string' || !names.includes(defaultName)) {
    throw new ProfileError(`${file}: default: must name one of the profiles (${names.join(', ')})`);
  }
  return { names, defaultName };
}

/**
 * Over what changes the figures: not which stacks or runtimes (each unit is its own entry, a twin
 * too), nor K or the budget that decides it (more windows narrow the intervals).
 */
export function profileHash(settings: ProfileSettings): string {
  const {
    stacks: _stacks,
    samples: _samples,
    runtimes: _runtimes,
    adaptive: _adaptive,
    twin: _twin,
    ...measured
  } = settings;
  return createHash('sha256').update(stableStringify(measured)).digest('hex').slice(0, 12);
}

export function resolveProfile(
  stacksDir: string,
  requested: string | undefined,
  cores: number,
  overrides: Overrides,
  allStacks: string[],
): ResolvedProfile {
  const { doc, names, file } = readProfiles(stacksDir);
  const name = requested ?? listProfiles(stacksDir).defaultName;
  if (!names.includes(name)) {
    throw new ProfileError(`unknown profile ${name}; valid profiles: ${names.join(', ')}`);
  }
  const t = doc[name] as Table;
  const fail: Fail = (key, problem) => {
    throw new ProfileError(`${file}: ${name}.${key}: ${problem}`);
  };
  onlyKeys(t, '', KEYS, fail);
  const count = { integer: true, min: 1 };
  // seconds a timer will wait for: past 2^31-1 ms Node would fire at once
  const timer = { max: MAX_TIMER_SECONDS };
  const workers =
    t.workers_per_core !== undefined
      ? Math.max(
          1,
          Math.round(num(t, 'workers_per_core', 'workers_per_core', fail, { min: 0.1 }) * cores),
        )
      : num(t, 'workers', 'workers', fail, count);
  const load = resolveLoadAxis(t, cores, fail);
  if (overrides.cycles && load.cycles.length === 0) {
    throw new ProfileError(
      `--cycles: profile ${name} is an open loop (offered rates, not users); --cycles applies to closed-loop profiles`,
    );
  }
  const stacks = t.stacks === undefined ? allStacks : strList(t, 'stacks', 'stacks', fail);
  const base: ProfileSettings = {
    workers: overrides.workers ?? workers,
    ...load,
    cycles: overrides.cycles ?? load.cycles,
    durationS:
      overrides.durationS ?? num(t, 'duration_s', 'duration_s', fail, { min: 0.1, ...timer }),
    warmupS: num(t, 'warmup_s', 'warmup_s', fail, { fallback: 0, min: 0, ...timer }),
    cycleWarmupS: num(t, 'cycle_warmup_s', 'cycle_warmup_s', fail, {
      fallback: 0,
      min: 0,
      ...timer,
    }),
    pauseS: num(t, 'pause_s', 'pause_s', fail, { fallback: 0, min: 0, ...timer }),
    backlog: num(t, 'backlog', 'backlog', fail, { fallback: 2048, ...count }),
    timeout: num(t, 'timeout', 'timeout', fail, { fallback: 120, ...count, ...timer }),
    threads: num(t, 'threads', 'threads', fail, { fallback: 2, ...count }),
    loadThreads: num(t, 'load_threads', 'load_threads', fail, { fallback: 1, ...count }),
    requestTimeoutS: num(t, 'request_timeout_s', 'request_timeout_s', fail, {
      fallback: 30,
      min: 0.1,
      ...timer,
    }),
    samples: overrides.samples ?? num(t, 'samples', 'samples', fail, { fallback: 1, ...count }),
    interleave: overrides.interleave ?? bool(t, 'interleave', 'interleave', fail, true),
    ...(overrides.connections ? { connections: overrides.connections } : connectionsKey(t, fail)),
    stacks: overrides.stacks ?? stacks,
    ...(overrides.runtimes ? { runtimes: overrides.runtimes } : runtimesKey(t, fail)),
    app: str(t, 'app', 'app', fail, '@stackbench/app:benchApp'),
    appEnv: strMap(t, 'app_env', 'app_env', fail),
  };
  const settings: ProfileSettings = {
    ...base,
    ...resolveSampling(t, fail, base, overrides.budgetS),
    ...(overrides.twin ? { twin: overrides.twin } : {}),
  };
  return {
    name,
    description: str(t, 'description', 'description', fail, ''),
    hash: profileHash(settings),
    settings,
  };
}
