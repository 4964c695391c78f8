/**
 * One-off readings of the target host (`stackbench-remote port-free|free-port|workers|established`),
 * each printing one JSON value.
 */
import { canListen, freePort } from '@stackbench/host-probe';
import { establishedByPid, servingWorkers } from '../../../window/worker-balance.js';
import { localBudgetFacts } from '../../local/budget-facts.js';
import { untilTime } from './readings.js';

export const probes: Record<string, (args: string[]) => unknown> = {
  // the limits the budget check compares a round with, as the stacks there will have them
  'budget-facts': () => localBudgetFacts(),
  'port-free': (args) => canListen(Number(args[1]), args[0]),
  'free-port': (args) => freePort(args[0]),
  workers: (args) => servingWorkers(Number(args[0]), JSON.parse(args[1] ?? '[]') as number[]),
  established: async (args) => {
    await untilTime(args[1]);
    const map = await establishedByPid(Number(args[0]));
    return map ? Object.fromEntries(map) : null;
  },
};
