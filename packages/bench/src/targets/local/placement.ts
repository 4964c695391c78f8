/**
 * CPU placement on a single host: with enough cores the load driver and the stack get disjoint
 * CPU sets (taskset), so neither steals the other's cycles; with few cores pinning would starve
 * one side, so nothing is pinned and the manifest says why.
 */
import type { Placement } from '@stackbench/result';

/** Fewer cores than this and the driver is not given cores of its own. */
export const MIN_CORES_TO_PIN = 4;

export function planPlacement(cores: number, hasTaskset: boolean): Placement {
  if (cores < MIN_CORES_TO_PIN) {
    return {
      pinned: false,
      driverCpus: null,
      stackCpus: null,
      reason: `${cores} cores, fewer than ${MIN_CORES_TO_PIN}: driver and stack share all cores`,
    };
  }
  if (!hasTaskset) {
    return { pinned: false, driverCpus: null, stackCpus: null, reason: 'taskset is not installed' };
  }
  // a quarter of the cores (at least one) for the driver, the rest for the stack
  const driver = Math.max(1, Math.floor(cores / 4));
  const range = (from: number, to: number) => (from === to ? `${from}` : `${from}-${to}`);
  return {
    pinned: true,
    driverCpus: range(0, driver - 1),
    stackCpus: range(driver, cores - 1),
    reason: `${cores} cores: ${driver} for the load driver, ${cores - driver} for the stack`,
  };
}
