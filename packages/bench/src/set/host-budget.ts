/**
 * The budget check of a set, before anything starts (no stack, no load, no result directory):
 * the target's facts and the stacks' recorded memory into setBudget; a set the host cannot hold
 * is refused with what to change; `interleave = "auto"` is decided here and the profile's hash
 * follows it (an interleaved set and a sequential one do not measure alike); the budget line is
 * printed and kept in the manifest.
 */
import type { Manifest } from '@stackbench/result';
import { HostBudgetError } from '../errors.js';
import { profileHash } from '../profile/profiles.js';
import type { StackDefinition } from '../stack/stack-def.js';
import type { Target } from '../targets/target.js';
import { setBudget } from './set-budget.js';
import { readWorkerMemory } from './worker-memory.js';

export interface HostBudgetInput {
  target: Target;
  stacksDir: string;
  manifest: Manifest;
  stacks: readonly StackDefinition[];
  /** The profile's `interleave` as asked; a resumed set keeps what it ran with. */
  asked: boolean | 'auto';
  resumed: boolean;
  /** The load runs in this process (not on driver hosts). */
  driverHere: boolean;
  write: (line: string) => void;
}

export async function checkHostBudget(input: HostBudgetInput): Promise<void> {
  const { manifest } = input;
  const settings = manifest.profile.settings;
  const { budget, problems } = setBudget({
    settings,
    stacks: input.stacks.map((s) => ({
      name: s.name,
      file: s.base ?? s.name,
      fronted: s.requires.commands.includes('nginx'),
    })),
    cores: manifest.host.cores,
    memory: readWorkerMemory(input.stacksDir),
    // a host that cannot say (an older remote workspace) is not checked, and the line says so
    facts: (await input.target.budgetFacts?.().catch(() => null)) ?? null,
    asked: input.asked,
    driverHere: input.driverHere,
    loopback: input.target.listenHost === '127.0.0.1',
    mustInterleave: manifest.ab
      ? 'an A/B set (base and head in the same rounds)'
      : settings.adaptive
        ? 'adaptive sampling (budget_s: stack pairs within rounds)'
        : null,
  });
  if (problems.length) throw new HostBudgetError(problems, budget.line);
  if (!input.resumed && budget.interleave.chosen !== settings.interleave) {
    settings.interleave = budget.interleave.chosen;
    manifest.method.interleave = budget.interleave.chosen;
    manifest.profile.hash = profileHash(settings);
  }
  // a resumed set keeps the record of how it chose, with today's figures
  manifest.budget =
    input.resumed && manifest.budget
      ? { ...budget, interleave: manifest.budget.interleave }
      : budget;
  input.write(budget.line);
}
