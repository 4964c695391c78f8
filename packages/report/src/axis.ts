/**
 * What a set's cells are levels of: concurrent users (closed loop), offered requests/s (open
 * loop, `rates`) or fractions of each stack's capacity (`ratesOfCapacity`). Every table, chart
 * and comparison names its levels through this.
 */
import type {
  ConnectionMode,
  ProfileSettings,
  SampleWindow,
  WindowRef,
  WorkloadName,
} from '@stackbench/result';

export interface Axis {
  kind: 'users' | 'rate' | 'capacity';
  /** Column header and the unit after a value: `CUs`, `req/s`, `× capacity`. */
  unit: string;
  /** Chart axis title. */
  title: string;
  /** The profile's levels, in order. */
  levels: number[];
}

export function axisOf(settings: ProfileSettings): Axis {
  if (settings.ratesOfCapacity?.length) {
    return {
      kind: 'capacity',
      unit: '× capacity',
      title: 'offered load (fraction of the stack’s capacity)',
      levels: settings.ratesOfCapacity,
    };
  }
  if (settings.rates?.length) {
    return {
      kind: 'rate',
      unit: 'req/s',
      title: 'offered load (requests/s)',
      levels: settings.rates,
    };
  }
  return { kind: 'users', unit: 'CUs', title: 'concurrent users (CUs)', levels: settings.cycles };
}

export function levelLabel(axis: Axis, level: number): string {
  return `${level} ${axis.unit}`;
}

/** The level a window samples (closed-loop sets before open loop have only `cus`). */
export function levelOf(window: Pick<SampleWindow, 'cus' | 'level'> | WindowRef): number {
  return window.level ?? window.cus;
}

/** The connection modes a profile measures (keep-alive when it names none). */
export function connectionModes(settings: ProfileSettings): ConnectionMode[] {
  return settings.connections?.length ? settings.connections : ['keep-alive'];
}

export function connectionOf(window: Pick<SampleWindow, 'connection'> | WindowRef): ConnectionMode {
  return window.connection ?? 'keep-alive';
}

/** The workloads a profile measures (seed, the seed's app, when it names none: older sets). */
export function workloadsOf(settings: ProfileSettings): WorkloadName[] {
  return settings.workloads?.length ? settings.workloads : ['seed'];
}

export function workloadOf(window: Pick<SampleWindow, 'workload'> | WindowRef): WorkloadName {
  return window.workload ?? 'seed';
}
