/**
 * The budget of a set: what one round needs (budget-needs.ts) against what the host has, whether
 * the set runs interleaved (`interleave = "auto"`: when every stack fits side by side) and, for
 * every limit a round would pass, a problem that names the figure needed, the figure available
 * and the setting to change. Pure: the host's facts are a parameter, so a test can give any.
 */
import type { HostBudget, ProfileSettings } from '@stackbench/result';
import type { BudgetFacts } from '../targets/local/budget-facts.js';
import {
  type BudgetStack,
  CONNECTION_KB,
  fdNeed,
  LOAD_THREAD_MB,
  memoryNeed,
  PROCESS_FDS,
  peakConnections,
  portNeed,
} from './budget-needs.js';
import type { WorkerMemory } from './worker-memory.js';

export interface BudgetInput {
  settings: ProfileSettings;
  stacks: readonly BudgetStack[];
  cores: number;
  memory: WorkerMemory;
  /** null: the target's limits cannot be read from here (a remote target). */
  facts: BudgetFacts | null;
  asked: boolean | 'auto';
  /** The load driver runs in this process (not on driver hosts). */
  driverHere: boolean;
  /** Stacks listen on 127.0.0.1. */
  loopback: boolean;
  /** Why this set must be interleaved whatever `auto` finds (an A/B set, adaptive rounds); null: it need not. */
  mustInterleave: string | null;
}

export interface BudgetOutcome {
  budget: HostBudget;
  problems: string[];
}

// `auto` leaves a fifth of MemAvailable spare: the figures were measured under a light load
const AUTO_SHARE = 0.8;

const gb = (mb: number) => `${(mb / 1024).toFixed(1)} GB`;
const n = (x: number) => Math.round(x).toLocaleString('en-US');

function chooseInterleave(
  input: BudgetInput,
  allMb: number,
  availableMb: number | null,
): { chosen: boolean; why: string } {
  const { asked, settings } = input;
  const count = input.stacks.length;
  if (asked !== 'auto') {
    return {
      chosen: asked,
      why: asked ? 'the profile interleaves' : 'one stack at a time, as asked',
    };
  }
  if (count <= 1) return { chosen: true, why: 'auto: one stack' };
  if (availableMb === null) {
    return {
      chosen: false,
      why: "auto: the host's memory is not known here, so one stack at a time",
    };
  }
  const all = `${settings.workers} workers × ${count} stacks side by side need ${gb(allMb)}`;
  if (allMb <= availableMb * AUTO_SHARE) {
    return {
      chosen: true,
      why: `auto: ${all}, within ${AUTO_SHARE * 100} % of ${gb(availableMb)} MemAvailable`,
    };
  }
  return {
    chosen: false,
    why: `auto: ${all}, more than ${AUTO_SHARE * 100} % of ${gb(availableMb)} MemAvailable`,
  };
}

export function setBudget(input: BudgetInput): BudgetOutcome {
  const { settings: s, facts, stacks } = input;
  const notes: string[] = [`stack memory: ${input.memory.source}`];
  const problems: string[] = [];
  const mem = memoryNeed(s, stacks, input.memory);
  if (mem.unmeasured.length) {
    notes.push(
      `not measured, assumed like the hungriest measured stack: ${mem.unmeasured.join(', ')}`,
    );
  }
  notes.push(
    `driver and orchestrator: ${Math.round(mem.driverMb)} MB (${input.memory.orchestratorMb} MB measured, ${LOAD_THREAD_MB} MB per further load thread and ${CONNECTION_KB} KB per connection assumed)`,
  );
  const availableMb = facts?.memAvailableMb ?? null;
  const choice = chooseInterleave(input, mem.allMb, availableMb);
  const memoryMb = choice.chosen ? mem.allMb : mem.largestMb;
  const count = stacks.length;
  if (availableMb !== null && memoryMb > availableMb) {
    problems.push(
      choice.chosen
        ? `\`workers\` ${s.workers} × ${count} stacks side by side need ${gb(memoryMb)}, MemAvailable is ${gb(availableMb)}: lower \`workers\`, run fewer \`--stacks\`, or set \`interleave = false\` (or "auto")`
        : `\`workers\` ${s.workers} of ${mem.largest} alone need ${gb(memoryMb)}, MemAvailable is ${gb(availableMb)}: lower \`workers\` or free memory`,
    );
  }
  if (input.mustInterleave && !choice.chosen) {
    problems.push(
      `${input.mustInterleave} needs the stacks side by side, and ${choice.why.replace(/^auto: /, '')}: lower \`workers\` or run fewer \`--stacks\``,
    );
  }

  const fd = fdNeed(s, stacks, input.cores, input.driverHere, choice.chosen);
  const soft = facts?.openFiles?.soft ?? null;
  if (soft !== null && facts?.openFiles && fd.perProcess > soft) {
    const hard = facts.openFiles.hard;
    const nrOpen = facts.nrOpen;
    problems.push(
      `${n(peakConnections(s))} connections need up to ${n(fd.perProcess)} open files in one process (the load driver one per connection, a server process up to one per connection, two behind nginx, and ${PROCESS_FDS} of its own), \`ulimit -n\` is ${n(soft)}: raise \`ulimit -n\` to at least ${n(fd.perProcess)}${fd.perProcess > hard ? ` (its hard limit, ${n(hard)}, too: ulimit -Hn, LimitNOFILE= or /etc/security/limits.conf)` : ''}${nrOpen !== null && fd.perProcess > nrOpen ? ` and fs.nr_open (${n(nrOpen)})` : ''}, or lower the CUs`,
    );
  }
  const freeFiles =
    facts?.fileMax != null && facts.filesAllocated != null
      ? facts.fileMax - facts.filesAllocated
      : null;
  if (freeFiles !== null && fd.system > freeFiles) {
    problems.push(
      `one round needs ${n(fd.system)} file handles and the host has ${n(freeFiles)} free of fs.file-max ${n(facts?.fileMax ?? 0)}: raise fs.file-max to at least ${n((facts?.filesAllocated ?? 0) + fd.system)}`,
    );
  }

  let ports: HostBudget['ports'] = null;
  if (input.driverHere && facts?.portRange) {
    const [lo, hi] = facts.portRange;
    const need = portNeed(s, facts, input.loopback);
    ports = { needed: need.needed, available: hi - lo + 1 };
    notes.push(`ports: ${need.how}`);
    if (need.needed > ports.available) {
      problems.push(
        `${need.how} need ${n(need.needed)} ephemeral ports, net.ipv4.ip_local_port_range (${lo} ${hi}) gives ${n(ports.available)}: widen net.ipv4.ip_local_port_range${s.connections?.includes('close') ? ', set net.ipv4.tcp_tw_reuse = 1, or drop close from `connections`' : ''}, or lower the CUs`,
      );
    }
  } else if (!input.driverHere) {
    notes.push("ports and the driver's open files: on the driver hosts, not checked from here");
  }
  if (!facts) notes.push("the target host's memory and limits were not read: not checked");

  const parts = [
    availableMb !== null
      ? `${gb(memoryMb)} of ${gb(availableMb)} available`
      : `${gb(memoryMb)} (memory not read)`,
    soft !== null ? `${n(fd.perProcess)} fds of ${n(soft)}` : 'fds not read',
    ports ? `${n(ports.needed)} ports of ${n(ports.available)}` : 'ports not checked',
  ];
  const line = `budget: ${parts.join(', ')}: ${choice.chosen ? 'interleaved' : 'one stack at a time'} (${choice.why})`;
  return {
    budget: {
      line,
      interleave: { asked: input.asked, ...choice },
      memoryMb:
        availableMb !== null ? { needed: Math.round(memoryMb), available: availableMb } : null,
      fds: soft !== null ? { needed: fd.perProcess, available: soft } : null,
      ports,
      notes,
    },
    problems,
  };
}
