/**
 * A profile's load axis: closed-loop users (`cycles`, `cycles_per_core`) or, for an open loop,
 * offered rates (`rates`, requests/s, or `rates_of_capacity`, fractions of each stack's capacity
 * measured in every round by a closed-loop window of `capacity_cus` users). Exactly one is given.
 */
import type { ProfileSettings } from '@stackbench/result';
import { type Fail, num, type Table } from './toml-fields.js';

export const LOAD_KEYS = [
  'cycles',
  'cycles_per_core',
  'rates',
  'rates_of_capacity',
  'capacity_cus',
  'capacity_cus_per_core',
  'open_connections',
] as const;

type LoadAxis = Pick<
  ProfileSettings,
  'cycles' | 'rates' | 'ratesOfCapacity' | 'capacityCus' | 'openConnections'
>;

const AXES = ['cycles', 'cycles_per_core', 'rates', 'rates_of_capacity'] as const;

function numbers(
  t: Table,
  key: string,
  fail: Fail,
  ok: (n: number) => boolean,
  what: string,
): number[] {
  const raw = t[key];
  if (
    !Array.isArray(raw) ||
    raw.length === 0 ||
    !raw.every((n) => typeof n === 'number' && ok(n))
  ) {
    fail(key, `must be a non-empty array of ${what}`);
  }
  return raw as number[];
}

export function resolveLoadAxis(t: Table, cores: number, fail: Fail): LoadAxis {
  const given = AXES.filter((key) => t[key] !== undefined);
  if (given.length !== 1) {
    fail(
      given[1] ?? 'cycles',
      given.length
        ? `give one load axis, not ${given.join(' and ')}`
        : 'missing: give cycles, cycles_per_core (closed loop), rates or rates_of_capacity (open loop)',
    );
  }
  const axis = given[0] as (typeof AXES)[number];
  const whole = (n: number) => Number.isInteger(n) && n > 0;
  const openConnections = num(t, 'open_connections', 'open_connections', fail, {
    fallback: 10,
    integer: true,
    min: 1,
  });
  const capacityCus =
    t.capacity_cus_per_core !== undefined
      ? Math.round(
          num(t, 'capacity_cus_per_core', 'capacity_cus_per_core', fail, {
            integer: true,
            min: 1,
          }) * cores,
        )
      : num(t, 'capacity_cus', 'capacity_cus', fail, { fallback: 10, integer: true, min: 1 });
  // closed-loop settings carry no open-loop keys, so their profile hash is what it always was
  switch (axis) {
    case 'cycles':
      return { cycles: numbers(t, axis, fail, whole, 'whole numbers ≥ 1') };
    case 'cycles_per_core':
      return {
        cycles: numbers(t, axis, fail, whole, 'whole numbers ≥ 1').map((c) => c * cores),
      };
    case 'rates':
      return {
        openConnections,
        cycles: [],
        rates: numbers(
          t,
          axis,
          fail,
          (n) => n > 0 && n <= 1_000_000,
          'rates in requests/s (0 < rate ≤ 1000000)',
        ),
      };
    case 'rates_of_capacity':
      return {
        capacityCus,
        openConnections,
        cycles: [],
        ratesOfCapacity: numbers(
          t,
          axis,
          fail,
          (n) => n > 0 && n <= 2,
          'fractions of capacity (0 < f ≤ 2)',
        ),
      };
  }
}

/** The levels a profile's cells are at: CUs, rates or fractions. */
export function profileLevels(s: ProfileSettings): number[] {
  return s.ratesOfCapacity?.length ? s.ratesOfCapacity : s.rates?.length ? s.rates : s.cycles;
}
