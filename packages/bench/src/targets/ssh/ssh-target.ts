/**
 * `sshTarget`: the `Target` of a remote host, over OpenSSH. Stacks start in the workspace that
 * provisioning shipped there, under a watchdog tied to the ssh channel (ssh-stack.ts); their run
 * dirs, requirements, ports, readings and worker balance are remote commands
 * (`stackbench-remote VERB`). Stacks listen on the hosts file's `target.address`, where the
 * driver hosts (and the orchestrator's readiness probe) reach them.
 */

import { acceptQueueInSs } from '@stackbench/host-probe';
import type { BudgetFacts } from '../local/budget-facts.js';
import type { Target } from '../target.js';
import type { ClockReading } from './clock.js';
import { launchRemote } from './ssh-stack.js';
import { callRemote, type RemoteWorkspace, remoteArgv } from './workspace.js';

const toMap = (o: Record<string, number> | null) =>
  o === null ? null : new Map(Object.entries(o).map(([k, v]) => [Number(k), v]));

export function sshTarget(ws: RemoteWorkspace, address: string, clock: ClockReading): Target {
  // a time of this process's clock as the target's clock reads it
  const there = (atMs: number | undefined) =>
    atMs === undefined ? [] : [String(Math.round(atMs + clock.offsetMs))];
  return {
    kind: 'ssh',
    listenHost: address,
    workspace: { root: ws.root, stacksDir: `${ws.root}/stacks`, node: ws.node },
    hostFacts: async () => ws.facts,
    budgetFacts: () => callRemote<BudgetFacts>(ws, 'budget-facts'),
    // sampled on the target when the orchestrator connected to it (targets/ssh/host/info.ts)
    hostLoad: async () => ws.facts.loadBefore ?? null,
    async createRunDir(stackName) {
      const path = await callRemote<string>(ws, 'mkrundir', [stackName]);
      return {
        path,
        write: async (name, text) => {
          await ws.host.check(remoteArgv(ws.node, ws.root, 'write', [path, name]), { input: text });
        },
        remove: async () => {
          await callRemote(ws, 'rmrundir', [path]);
        },
      };
    },
    launch: (processes, options) => launchRemote(ws, processes, options),
    // ss, not node: the sampler asks every second and must not load the target it measures;
    // ss (netlink, listening sockets only) as host-probe reads it here
    async acceptQueue(port) {
      const result = await ws.host
        .run(['ss', '-ltnH', `( sport = :${Math.trunc(port)} )`])
        .catch(() => null);
      return result?.exitCode === 0 ? acceptQueueInSs(result.stdout, port) : null;
    },
    portFree: (port) => callRemote<boolean>(ws, 'port-free', [address, String(port)]),
    freePort: () => callRemote<number>(ws, 'free-port', [address]),
    workers: {
      servingWorkers: (port, pids) =>
        callRemote<number[] | null>(ws, 'workers', [String(port), JSON.stringify(pids)]).catch(
          () => null,
        ),
      cpuMsByPid: async (pids, atMs) =>
        toMap(
          await callRemote<Record<string, number>>(ws, 'cpu', [
            JSON.stringify(pids),
            ...there(atMs),
          ]).catch(() => ({})),
        ) ?? new Map(),
      establishedByPid: async (port, atMs) =>
        toMap(
          await callRemote<Record<string, number> | null>(ws, 'established', [
            String(port),
            ...there(atMs),
          ]).catch(() => null),
        ),
    },
    checkStack: (stackName) =>
      callRemote<{ missing: string | null; versions: Record<string, string> }>(ws, 'stack-check', [
        stackName,
        address,
      ]),
  };
}
