/**
 * The report's opening: the title line, what a reader must know before any figure (stacks not
 * measured and how to fix that, a host that was busy before the run), and the section "What was
 * measured" — host, topology, profile, load, driver and method — as TechEmpower's and
 * fastify/benchmarks' readers expect it before the results.
 */
import { capacityRps } from '@stackbench/app/service-time';
import type { HostFacts, Manifest, Topology } from '@stackbench/result';
import { type Axis, connectionModes } from './axis.js';
import type { Cell } from './cells.js';
import { table } from './markdown-table.js';
import type { ResultSet } from './read-set.js';
import { adaptiveLines, rerunLines, windowSizingLines } from './sampling-notes.js';

/** Above this share of the CPUs busy in the second before a run, the host was not idle. */
export const HOST_IDLE_MAX_BUSY_PCT = 15;

const ms = (value: number) => value.toFixed(1);

/** Local, or the target and its driver hosts with their clock offsets. */
function topologyText(t: Topology | undefined, host: HostFacts): string {
  if (!t || t.kind === 'local' || !t.target) {
    return `local: stacks and load driver on one host (${host.slug})`;
  }
  const drivers = t.drivers ?? [];
  const list = drivers
    .map(
      (d) =>
        `${d.name} (${d.facts.cores} cores, clock ${d.clockOffsetMs >= 0 ? '+' : ''}${d.clockOffsetMs} ms ± ${d.clockRttMs / 2} ms)`,
    )
    .join(', ');
  return `target + ${drivers.length} driver${drivers.length === 1 ? '' : 's'}: stacks on ${t.target.name} (${t.target.ssh}, ${t.target.facts.cores} cores, listening on ${t.target.address}); load from ${list}.${t.sync ? ` ${t.sync}` : ''}`;
}

function driverText(m: Manifest): string {
  // older sets have no manifest.driver: the windows' load documents name it
  const d = m.driver;
  if (!d) return 'n/a (set written before the manifest recorded it)';
  return `${d.name} ${d.version}, engine ${d.engine}${d.engineClient ? ` (${d.engineClient})` : ''}, on Node ${d.node}`;
}

/**
 * Stacks the set did not measure, each with its reason (which says how to fix it when known);
 * (stack, runtime) pairs that cannot run by design (the runtime is installed, the stack does
 * not run on it) are named in one line, their reasons left to their sections.
 */
export function notMeasuredNotice(m: Manifest): string | null {
  const notRun = m.stacks.filter((s) => s.status === 'skipped' || s.status === 'failed');
  if (notRun.length === 0) return null;
  const byDesign = notRun.filter(
    (s) => s.status === 'skipped' && s.stack !== undefined && Boolean(s.runtime?.version),
  );
  const others = notRun.filter((s) => !byDesign.includes(s));
  const lines: string[] = [];
  if (others.length) {
    lines.push(
      `⚠️ **Not measured (${others.length} of ${m.stacks.length} stacks):** ${others
        .map((s) => `**${s.name}** — ${s.status}: ${s.reason ?? 'no reason recorded'}`)
        .join('; ')}.`,
    );
  }
  if (byDesign.length) {
    lines.push(
      `${byDesign.length} stack × runtime pairs do not run on that runtime and were not measured (each one's section below says why): ${byDesign.map((s) => s.name).join(', ')}.`,
    );
  }
  return lines.join('\n\n');
}

/** A host that something else kept busy before the set began: its figures may be low. */
export function busyHostNotice(host: HostFacts): string | null {
  const load = host.loadBefore;
  if (!load || load.busyPct <= HOST_IDLE_MAX_BUSY_PCT) return null;
  return `⚠️ **Busy host:** ${load.busyPct} % of its CPU time was busy in the ${load.seconds} s before the set started (load average ${load.load1} over 1 min; idle means under ${HOST_IDLE_MAX_BUSY_PCT} %), so something else was running: compare this set with care.`;
}

export function titleBlock(set: ResultSet): string[] {
  const m = set.manifest;
  const out = [
    `# stackbench result set \`${m.setId}\``,
    '',
    `Profile **${m.profile.name}** on host **${m.host.slug}** (${m.host.cpuModel}, ${m.host.cores} cores), suite commit \`${m.suite.commit.slice(0, 12)}\`${m.suite.dirty ? ' (dirty tree)' : ''}, ${m.complete ? 'complete' : '**incomplete**'}.`,
  ];
  for (const notice of [notMeasuredNotice(m), busyHostNotice(m.host)]) {
    if (notice) out.push('', notice);
  }
  return out;
}

function hostRows(h: HostFacts): string[][] {
  const load = h.loadBefore;
  const tunables = Object.entries(h.tunables ?? {});
  return [
    ['host', `${h.slug}: ${h.cpuModel}, ${h.cores} cores, ${h.memoryMb} MB`],
    ['OS, kernel', `${h.os ?? 'n/a'}, Linux ${h.kernel}`],
    ['CPU governor', h.governor ?? 'not exposed (typical of VMs)'],
    [
      'kernel settings',
      tunables.length
        ? tunables.map(([k, v]) => `${k} ${v}`).join('; ')
        : `somaxconn ${h.somaxconn ?? 'n/a'}`,
    ],
    ['open files', String(h.openFileLimit ?? 'n/a')],
    [
      'load before the run',
      load
        ? `${load.busyPct} % busy over ${load.seconds} s; load average ${load.load1} (1 min), ${load.load5} (5 min)`
        : 'n/a',
    ],
    ['Node (orchestrator)', h.node],
  ];
}

/** K, or with adaptive sampling the K cells started with and the most any got. */
function samplesText(m: Manifest): string {
  const a = m.method.adaptive;
  const max = a?.maxSamples ?? m.profile.settings.adaptive?.maxSamples;
  return max === undefined
    ? String(m.profile.settings.samples)
    : `${a?.initialSamples ?? m.profile.settings.samples} to start, up to ${max} where pairs were undecided (adaptive),`;
}

/** The measured part of a window: fixed, or sized by the response time within bounds. */
function windowText(m: Manifest): string {
  const p = m.profile.settings;
  return p.windowSizing
    ? `${p.durationS}–${p.windowSizing.maxDurationS} s (sized by the response time)`
    : `${p.durationS} s`;
}

function loadRows(m: Manifest, axis: Axis): string[][] {
  const p = m.profile.settings;
  const env = Object.entries(p.appEnv);
  return [
    ['profile', `${m.profile.name} (hash \`${m.profile.hash}\`)`],
    ['workers per stack', String(p.workers)],
    [
      axis.kind === 'users' ? 'concurrent users (CUs)' : `offered load (${axis.unit})`,
      `${axis.levels.join(', ')}${Object.entries(p.workloadCycles ?? {})
        .map(([w, levels]) => `; ${w}: ${levels.join(', ')}`)
        .join('')}`,
    ],
    ...(p.workloads ? [['workloads', p.workloads.join(', ')]] : []),
    ['connection modes', connectionModes(p).join(', ')],
    ['windows per cell (K)', `${samplesText(m)} of ${windowText(m)}`],
    ['warm-up', `${p.warmupS} s per stack start; ${p.cycleWarmupS} s per window, not measured`],
    ['pause between windows', `${p.pauseS} s`],
    ['client timeout', `${p.requestTimeoutS} s per request`],
    ['load driver', `${driverText(m)}; ${p.loadThreads} thread${p.loadThreads === 1 ? '' : 's'}`],
    [
      'app',
      `\`${p.app}\`${env.length ? ` with ${env.map(([k, v]) => `\`${k}=${v}\``).join(', ')}` : ''}`,
    ],
    [
      'server settings',
      `backlog ${p.backlog}, worker timeout ${p.timeout} s, ${p.threads} handler threads`,
    ],
    [
      'CPU placement',
      m.placement.pinned
        ? `driver on CPUs ${m.placement.driverCpus}, stacks on ${m.placement.stackCpus}`
        : `not pinned (${m.placement.reason})`,
    ],
    // what one round needed of the host, checked before the set started (absent: older sets)
    ...(m.budget ? [['host budget', m.budget.line.replace(/^budget: /, '')]] : []),
  ];
}

function methodLine(m: Manifest, axis: Axis): string {
  const p = m.profile.settings;
  const method = m.method;
  const windows = method.order.length;
  const how = method.interleave
    ? `Each round started every stack side by side on its own port and rotated the windows across them in an order shuffled from seed ${method.seed}, so host drift falls on every stack alike`
    : method.order.length
      ? `One stack at a time, its windows in an order shuffled from seed ${method.seed}`
      : 'Sequential runs of a set written before sample windows (schema 1): each run of each stack is one window';
  const load =
    axis.kind === 'users'
      ? ''
      : ` Open loop: each window offers a constant rate${axis.kind === 'capacity' ? ` — a fraction of the stack's capacity, measured anew in every round by a closed-loop window of ${p.capacityCus} users —` : ''} on a pool of ${p.openConnections} connections that grows when all are busy; latency is measured from each request's intended start, so a stall is charged to every request it delayed.`;
  const k = m.method.adaptive
    ? `**K = ${m.method.adaptive.initialSamples} windows** to start (more where pairs stayed undecided, see below)`
    : `**K = ${p.samples} windows**`;
  return `Each cell (stack × ${axis.unit}) is measured in ${k} of ${windowText(m)}, each opened with fresh connections (so where the kernel places them is drawn anew) and ${p.windowSizing ? 'at least ' : ''}${p.cycleWarmupS} s of unmeasured load, ${p.pauseS} s apart. ${how}${windows ? ` (${windows} windows; the order is in manifest.json)` : ''}. Figures per cell: the median of the per-window values with a distribution-free 95 % interval from order statistics; latency distributions from the windows' merged HDR histograms, never averaged percentiles.${load}`;
}

export function measuredSection(set: ResultSet, axis: Axis, cells: Cell[] = []): string[] {
  const m = set.manifest;
  const out = [
    '## What was measured',
    '',
    table(
      ['', ''],
      [['topology', topologyText(m.topology, m.host)], ...hostRows(m.host), ...loadRows(m, axis)],
      ['l', 'l'],
    ),
    '',
    methodLine(m, axis),
    ...windowSizingLines(m, cells, axis),
    ...adaptiveLines(m),
    ...rerunLines(m),
  ];
  const overrides = Object.entries(m.overrides);
  if (overrides.length) {
    out.push('', `Overrides: ${overrides.map(([k, v]) => `\`--${k} ${v}\``).join(' ')}.`);
  }
  if (m.serviceTime && axis.kind === 'users') {
    const t = m.serviceTime;
    const p = m.profile.settings;
    const top = p.cycles.length ? Math.max(...p.cycles) : 0;
    out.push(
      '',
      `App service time (in-process, ${t.samples} requests): CPU ${ms(t.cpuMs)} ms, sleep ${ms(t.sleepMs)} ms, writes ${ms(t.writesMs)} ms, total ${ms(t.totalMs)} ms; CPU time ${ms(t.cpuTimeMs)} ms per request. Little's-law capacity of the Node app at ${top} CUs on ${m.host.cores} cores: ${capacityRps(t, top, m.host.cores).toFixed(1)} RPS.`,
    );
  }
  return out;
}
