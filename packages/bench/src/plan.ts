/**
 * The order of a matrix's runs: `repeat` rounds, alternating the stack order each round
 * (a, b, c, c, b, a, …) so no stack always runs first on a cold or last on a warm host. Runs
 * already in the set (resume) and stacks not pending (skipped, failed) are left out.
 */
export interface PlannedRun<S> {
  stack: S;
  repeat: number;
}

export function planRuns<S extends { name: string }>(
  stacks: readonly S[],
  repeat: number,
  pending: (name: string) => boolean,
  done: (name: string, repeat: number) => boolean,
): PlannedRun<S>[] {
  const plan: PlannedRun<S>[] = [];
  for (let r = 1; r <= repeat; r++) {
    const order = r % 2 === 1 ? stacks : [...stacks].reverse();
    for (const stack of order) {
      if (pending(stack.name) && !done(stack.name, r)) plan.push({ stack, repeat: r });
    }
  }
  return plan;
}
