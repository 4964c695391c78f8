/**
 * stacks/profiles.toml → the profile a matrix runs, resolved for this host (`*_per_core` keys
 * scale with the core count) and with command-line overrides applied. Its hash (over everything
 * that changes the figures, not over which stacks or how many repetitions) says which result
 * sets are comparable.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { stableStringify } from '@stackbench/report';
import type { ProfileSettings } from '@stackbench/result';
import { parse } from 'smol-toml';
import { ProfileError } from '../errors.js';
import { readKeys } from '../settings/key-reader.js';
import { WORKLOAD_APP } from '../settings/profile-flags.js';
import { type Overrides, PROFILE_KEYS, UNHASHED_FIELDS } from '../settings/profile-keys.js';
import { type Fail, isTable, type Table } from '../settings/toml-fields.js';
import { resolveLoadAxis, resolveWorkloadCycles } from './profile-load.js';
import { resolveSampling } from './profile-sampling.js';

export type { Overrides } from '../settings/profile-keys.js';

export interface ResolvedProfile {
  name: string;
  description: string;
  hash: string;
  settings: ProfileSettings;
  /**
   * `interleave` as asked (with --sequential). "auto" is decided by the budget check
   * (set/set-budget.ts); until then the settings say one stack at a time, so a profile's hash
   * is the sequential one wherever the host is short of memory.
   */
  interleaveAsked: boolean | 'auto';
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
 * `--help`'s list of profiles, read from the profiles file (`stacksDir`'s, else the workspace's):
 * the names are the file's, never a copy of them.
 */
export function profilesHelp(stacksDir: string, root: string): string {
  const dir = existsSync(profilesFile(stacksDir)) ? stacksDir : join(root, 'stacks');
  try {
    const { names, defaultName } = listProfiles(dir);
    const list = names.map((n) => (n === defaultName ? `${n} (default)` : n)).join(', ');
    return `Profiles (${profilesFile(dir)}): ${list}.`;
  } catch (error) {
    return `Profiles: not read (${(error as Error).message}).`;
  }
}

/**
 * Over what changes the figures (the fields profile-table.ts marks `hashed`): not which stacks
 * or runtimes (each unit is its own entry, a twin too), nor K or the budget that decides it.
 */
export function profileHash(settings: ProfileSettings): string {
  const measured = Object.fromEntries(
    Object.entries(settings).filter(([field]) => !UNHASHED_FIELDS.includes(field)),
  );
  return createHash('sha256').update(stableStringify(measured)).digest('hex').slice(0, 12);
}

/** Absent stays absent, so profiles without it keep their hash. */
const warmupRequests = (n: number | undefined) =>
  n === undefined ? {} : { warmupRequestsPerWorker: n };

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
  const v = readKeys(t, PROFILE_KEYS, '', fail);
  if (v.workers === undefined && v.workers_per_core === undefined) {
    fail('workers', 'is required: give workers or workers_per_core');
  }
  const workers =
    v.workers_per_core !== undefined
      ? Math.max(1, Math.round(v.workers_per_core * cores))
      : (v.workers as number);
  const load = resolveLoadAxis(v, cores, fail);
  if (overrides.cycles && load.cycles.length === 0) {
    throw new ProfileError(
      `--cycles: profile ${name} is an open loop (offered rates, not users); --cycles applies to closed-loop profiles`,
    );
  }
  // absent connections and runtimes stay absent, so older profiles keep their hash
  const connections = overrides.connections ?? v.connections;
  const runtimes = overrides.runtimes ?? v.runtimes;
  // absent workloads stay absent too (seed only); the database's settings only with a db workload
  // and seed alone is what every set before workloads measured: the same hash (`--workloads seed`
  // makes a profile that lists more comparable with those sets)
  const listed = (overrides.workloads ?? v.workloads) as ProfileSettings['workloads'];
  const workloads = listed?.length === 1 && listed[0] === 'seed' ? undefined : listed;
  const dbKeys = ['db_pool', 'db_queries', 'db_rows'].filter((key) => t[key] !== undefined);
  // (a --workloads without db leaves the profile's database settings aside)
  if (dbKeys.length && !workloads?.includes('db') && !overrides.workloads) {
    fail(dbKeys[0] as string, 'applies to the db workload: add "db" to workloads');
  }
  const workloadCycles = resolveWorkloadCycles(
    v,
    {
      cores,
      closedLoop: load.cycles.length > 0,
      workloads: workloads ?? ['seed'],
      cyclesOverridden: overrides.cycles !== undefined,
      workloadsOverridden: overrides.workloads !== undefined,
    },
    fail,
  );
  const base: ProfileSettings = {
    workers: overrides.workers ?? workers,
    ...load,
    cycles: overrides.cycles ?? load.cycles,
    durationS: overrides.durationS ?? v.duration_s,
    warmupS: v.warmup_s,
    ...warmupRequests(overrides.warmupRequestsPerWorker ?? v.warmup_requests_per_worker),
    cycleWarmupS: v.cycle_warmup_s,
    pauseS: v.pause_s,
    backlog: v.backlog,
    timeout: v.timeout,
    threads: v.threads,
    loadThreads: v.load_threads,
    requestTimeoutS: v.request_timeout_s,
    samples: overrides.samples ?? v.samples,
    interleave: (overrides.interleave ?? v.interleave) === true,
    ...(connections ? { connections: connections as ProfileSettings['connections'] } : {}),
    ...(workloads ? { workloads } : {}),
    ...(workloads?.includes('db')
      ? { database: { poolSize: v.db_pool, queries: v.db_queries, rows: v.db_rows } }
      : {}),
    ...(workloadCycles ? { workloadCycles } : {}),
    stacks: overrides.stacks ?? v.stacks ?? allStacks,
    ...(runtimes ? { runtimes } : {}),
    app: v.app,
    appEnv: v.app_env ?? {},
  };
  if (workloads?.some((w) => w !== 'seed') && base.app !== WORKLOAD_APP) {
    const flag = overrides.workloads ? '--workloads' : 'workloads';
    throw new ProfileError(
      `${file}: ${name}: ${flag} ${workloads.join(',')}: the workloads other than seed are routes of ${WORKLOAD_APP}, and app is ${base.app}; set app = "${WORKLOAD_APP}" or measure seed only`,
    );
  }
  if (workloads && workloads.length > 1 && base.ratesOfCapacity?.length) {
    fail(
      'workloads',
      "rates as fractions of capacity (rates_of_capacity) measure one workload's capacity per round: give one workload, or fixed rates",
    );
  }
  const settings: ProfileSettings = {
    ...base,
    ...resolveSampling(v, (key) => t[key] !== undefined, fail, base, overrides.budgetS),
    ...(overrides.twin ? { twin: overrides.twin } : {}),
  };
  return {
    name,
    description: v.description,
    hash: profileHash(settings),
    settings,
    interleaveAsked: overrides.interleave ?? v.interleave,
  };
}
