/** The `local` target: stacks run on this host, next to the load driver. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { acceptQueueDepth, canListen, freePort, listeningSockets } from '@stackbench/host-probe';
import { createRunDir, removeRunDir } from '../../session/run-dir.js';
import { cpuMsByPid } from '../../window/cpu-time.js';
import { establishedByPid, servingWorkers } from '../../window/worker-balance.js';
import type { Target } from '../target.js';
import { localBudgetFacts } from './budget-facts.js';
import { localHostFacts } from './host-facts.js';
import { hostLoadBefore } from './host-load.js';
import { launchLocal } from './local-stack.js';

const untilTime = async (atMs: number | undefined) => {
  if (atMs !== undefined && atMs > Date.now()) await sleep(atMs - Date.now());
};

export const localTarget: Target = {
  kind: 'local',
  listenHost: '127.0.0.1',
  workspace: null,
  hostFacts: async () => localHostFacts(),
  budgetFacts: async () => localBudgetFacts(),
  hostLoad: () => hostLoadBefore(),
  createRunDir: async (stackName) => {
    const path = createRunDir(stackName);
    return {
      path,
      write: async (name, text) => writeFileSync(join(path, name), text),
      remove: async () => removeRunDir(path),
    };
  },
  launch: launchLocal,
  acceptQueue: acceptQueueDepth,
  listeners: listeningSockets,
  portFree: (port) => canListen(port),
  freePort: () => freePort(),
  workers: {
    servingWorkers,
    cpuMsByPid: async (pids, atMs) => {
      await untilTime(atMs);
      return cpuMsByPid(pids);
    },
    establishedByPid: async (port, atMs) => {
      await untilTime(atMs);
      return establishedByPid(port);
    },
  },
};
