/**
 * What `--hosts FILE` turns the matrix into: every host provisioned at the suite's commit (a
 * no-op when it already is), each driver's clock offset measured, the `sshTarget`, the driver
 * load runner, and the topology the manifest records.
 */
import type { CeilingOptions } from '@stackbench/loadgen';
import type { HostCeiling, Topology } from '@stackbench/result';
import { ProvisionError } from '../../errors.js';
import { suiteRevision } from '../local/git-info.js';
import type { Target } from '../target.js';
import { measureClock } from './clock.js';
import { driverCeilings } from './driver-ceilings.js';
import { DEFAULT_LEAD_MS, type DriverHost, driverLoad } from './drivers.js';
import type { HostsFile } from './hosts-file.js';
import { provisionHosts } from './provision.js';
import { sshTarget } from './ssh-target.js';
import type { RemoteWorkspace } from './workspace.js';

export interface RemoteSetup {
  target: Target;
  load: ReturnType<typeof driverLoad>;
  loadLeadMs: number;
  topology: Topology;
  /** Each driver host's own ceiling with `threads` load threads, measured there. */
  driverCeilings(
    threads: number,
    timing: Pick<CeilingOptions, 'durationS' | 'warmupS'>,
  ): Promise<HostCeiling[]>;
  /** Ends the ssh master connections. */
  close(): Promise<void>;
}

const hostRecord = (ws: RemoteWorkspace) => ({
  name: ws.host.entry.name,
  ssh: ws.host.entry.destination,
  workspace: ws.root,
  facts: ws.facts,
  tunables: ws.facts.tunables ?? {},
});

/** The commit to ship: HEAD of the workspace (a dirty tree ships HEAD and says so). */
export async function shippableCommit(root: string, log: (line: string) => void): Promise<string> {
  const suite = await suiteRevision(root);
  if (suite.commit === 'unknown') {
    throw new ProvisionError(
      'local',
      `${root} is not a git checkout; provisioning ships a commit with git archive`,
    );
  }
  if (suite.dirty)
    log(`warning: uncommitted changes are not shipped; the hosts get ${suite.commit.slice(0, 12)}`);
  return suite.commit;
}

export async function openRemote(
  hosts: HostsFile,
  root: string,
  log: (line: string) => void,
): Promise<RemoteSetup> {
  const commit = await shippableCommit(root, log);
  const provisioned = await provisionHosts(hosts, { root, commit, log });
  const drivers: DriverHost[] = [];
  for (const ws of provisioned.drivers) drivers.push({ ws, clock: await measureClock(ws.host) });
  const targetClock = await measureClock(provisioned.target.host);
  const worst = Math.max(...drivers.map((d) => d.clock.rttMs / 2));
  return {
    target: sshTarget(provisioned.target, hosts.target.address, targetClock),
    load: driverLoad(drivers),
    loadLeadMs: DEFAULT_LEAD_MS,
    topology: {
      kind: 'remote',
      target: {
        ...hostRecord(provisioned.target),
        address: hosts.target.address,
        clockOffsetMs: targetClock.offsetMs,
        clockRttMs: targetClock.rttMs,
      },
      drivers: drivers.map((d) => ({
        ...hostRecord(d.ws),
        clockOffsetMs: d.clock.offsetMs,
        clockRttMs: d.clock.rttMs,
      })),
      sync: `Drivers start each window at one time set ${DEFAULT_LEAD_MS / 1000} s ahead, corrected by each host's clock offset (read over an open ssh channel; error within ± ${worst} ms plus each host's reported start lag).`,
    },
    driverCeilings: (threads, timing) => driverCeilings(provisioned.drivers, threads, timing),
    async close() {
      await Promise.all([provisioned.target, ...provisioned.drivers].map((ws) => ws.host.close()));
    },
  };
}
