/**
 * A profile's load axis: closed-loop users (`cycles`, `cycles_per_core`) or, for an open loop,
 * offered rates (`rates`, requests/s, or `rates_of_capacity`, fractions of each stack's capacity
 * measured in every round by a closed-loop window of `capacity_cus` users). Exactly one is given.
 * The keys' types and bounds are checked by the table (settings/profile-table.ts).
 */
import type { ProfileSettings, WorkloadName } from '@stackbench/result';
import type { ProfileValues } from '../settings/profile-keys.js';
import type { Fail } from '../settings/toml-fields.js';

type LoadAxis = Pick<
  ProfileSettings,
  'cycles' | 'rates' | 'ratesOfCapacity' | 'capacityCus' | 'openConnections'
>;

const AXES = ['cycles', 'cycles_per_core', 'rates', 'rates_of_capacity'] as const;

export function resolveLoadAxis(v: ProfileValues, cores: number, fail: Fail): LoadAxis {
  const given = AXES.filter((key) => v[key] !== undefined);
  if (given.length !== 1) {
    fail(
      given[1] ?? 'cycles',
      given.length
        ? `give one load axis, not ${given.join(' and ')}`
        : 'missing: give cycles, cycles_per_core (closed loop), rates or rates_of_capacity (open loop)',
    );
  }
  const openConnections = v.open_connections;
  const capacityCus =
    v.capacity_cus_per_core !== undefined
      ? Math.round(v.capacity_cus_per_core * cores)
      : v.capacity_cus;
  // closed-loop settings carry no open-loop keys, so their profile hash is what it always was
  if (v.cycles) return { cycles: v.cycles };
  if (v.cycles_per_core) return { cycles: v.cycles_per_core.map((c) => c * cores) };
  if (v.rates) return { openConnections, cycles: [], rates: v.rates };
  return {
    capacityCus,
    openConnections,
    cycles: [],
    ratesOfCapacity: v.rates_of_capacity as number[],
  };
}

/**
 * The CUs of workloads that need their own (`workload_cycles`, `workload_cycles_per_core`):
 * closed loop only, each one of the profile's workloads. `--cycles` sets every workload's levels
 * (so it drops these), and a workload `--workloads` leaves out drops its entry.
 */
export function resolveWorkloadCycles(
  v: ProfileValues,
  options: {
    cores: number;
    closedLoop: boolean;
    workloads: readonly WorkloadName[];
    cyclesOverridden: boolean;
    workloadsOverridden: boolean;
  },
  fail: Fail,
): ProfileSettings['workloadCycles'] {
  if (v.workload_cycles && v.workload_cycles_per_core) {
    fail('workload_cycles_per_core', 'give one of workload_cycles and workload_cycles_per_core');
  }
  const key = v.workload_cycles ? 'workload_cycles' : 'workload_cycles_per_core';
  const given = v.workload_cycles ?? v.workload_cycles_per_core;
  if (!given) return undefined;
  if (!options.closedLoop) {
    fail(key, 'applies to a closed loop (cycles or cycles_per_core), not to offered rates');
  }
  if (options.cyclesOverridden) return undefined;
  const scale = key === 'workload_cycles' ? 1 : options.cores;
  const out: NonNullable<ProfileSettings['workloadCycles']> = {};
  for (const [name, levels] of Object.entries(given)) {
    if (!options.workloads.includes(name as WorkloadName)) {
      if (options.workloadsOverridden) continue;
      fail(
        `${key}.${name}`,
        `is not one of the profile's workloads (${options.workloads.join(', ')})`,
      );
    }
    out[name as WorkloadName] = levels.map((c) => c * scale);
  }
  return Object.keys(out).length ? out : undefined;
}

/** The levels a profile's cells are at: CUs, rates or fractions. */
export function profileLevels(s: ProfileSettings): number[] {
  return s.ratesOfCapacity?.length ? s.ratesOfCapacity : s.rates?.length ? s.rates : s.cycles;
}
