/**
 * report.md: where and how the set was measured, the ranking at each level, then per stack
 * its cells (medians with intervals), Funkload's table from the merged histograms and the
 * server's resources. A pure function of the result set, so re-runs are identical.
 */
import { capacityRps } from '@stackbench/app/service-time';
import { type Axis, axisOf, connectionModes, levelLabel } from './axis.js';
import { type Cell, stackCells } from './cells.js';
import type { ChartSpec } from './charts.js';
import { table } from './markdown-table.js';
import { rankingSection } from './ranking-section.js';
import type { ResultSet } from './read-set.js';
import { cellRow } from './rows.js';
import type { Manifest, StackResult, Topology } from './schema.js';
import { formatSummary, lowConfidenceNote } from './summary-format.js';

const f = (value: number, digits: number) => value.toFixed(digits);
const ms = (value: number) => f(value, 1);

/** The first columns of a cell's row: its connection mode (when the set has several) and level. */
function cellColumns(cells: Cell[], axis: Axis): { header: string[]; of: (c: Cell) => string[] } {
  const several = new Set(cells.map((c) => c.connection)).size > 1;
  return {
    header: [...(several ? ['connection'] : []), axis.unit],
    of: (c) => [...(several ? [c.connection] : []), String(c.level)],
  };
}

function funkloadTable(cells: Cell[], axis: Axis): string {
  const first = cellColumns(cells, axis);
  return table(
    [
      ...first.header,
      'windows',
      'requests',
      'RPS',
      'success %',
      'avg',
      'min',
      'p10',
      'med',
      'p90',
      'p95',
      'p99',
      'max',
    ],
    cells
      .map(cellRow)
      .map((r) => [
        String(r.level),
        String(r.windows),
        String(r.requests),
        f(r.rps, 1),
        f(r.successPct, 2),
        ms(r.avg),
        ms(r.min),
        ms(r.p10),
        ms(r.med),
        ms(r.p90),
        ms(r.p95),
        ms(r.p99),
        ms(r.max),
      ]),
  );
}

function windowTable(cells: Cell[], axis: Axis): string {
  const open = cells.some((c) => c.offeredRps);
  const cpu = cells.some((c) => c.cpuMsPerRequest.summary);
  const first = cellColumns(cells, axis);
  return table(
    [
      ...first.header,
      'windows',
      ...(open ? ['offered req/s'] : []),
      'RPS',
      'p50 ms',
      'p95 ms',
      'p99 ms',
      'max ms',
      ...(cpu ? ['CPU ms/req'] : []),
    ],
    cells.map((c) => [
      ...first.of(c),
      String(c.windows),
      ...(open ? [c.offeredRps ? formatSummary(c.offeredRps) : 'n/a'] : []),
      formatSummary(c.summary.rps),
      formatSummary(c.summary.p50),
      formatSummary(c.summary.p95),
      formatSummary(c.summary.p99),
      formatSummary(c.summary.max),
      ...(cpu
        ? [c.cpuMsPerRequest.summary ? formatSummary(c.cpuMsPerRequest.summary) : 'n/a']
        : []),
    ]),
  );
}

function serverTable(result: StackResult): string {
  const rows = result.runs
    .filter((run) => run.server.summary)
    .map((run) => {
      const s = run.server.summary!;
      return [
        String(run.round),
        String(s.samples),
        f(s.cpuPctAvg, 1),
        f(s.cpuPctMax, 1),
        f(s.rssMbAvg, 1),
        f(s.rssMbMax, 1),
        String(s.processesMax),
        String(s.restarts),
        s.acceptQueueMax === null ? 'n/a' : String(s.acceptQueueMax),
      ];
    });
  if (rows.length === 0) return '_No server samples._';
  return table(
    [
      'round',
      'samples',
      'CPU % avg',
      'CPU % max',
      'RSS MB avg',
      'RSS MB max',
      'processes',
      'restarts',
      'accept queue max',
    ],
    rows,
  );
}

/** Cells whose windows measure the host or the driver more than the stack. */
function saturationNote(cells: Cell[], axis: Axis): string | null {
  const list = (pick: (c: Cell) => number) =>
    cells
      .filter((c) => pick(c) > 0)
      .map((c) => `${levelLabel(axis, c.level)} (${pick(c)} of ${c.windows})`)
      .join(', ');
  const notes: string[] = [];
  const busy = list((c) => c.hostBusyWindows);
  const driver = list((c) => c.driverSaturatedWindows);
  if (busy)
    notes.push(`host CPU above 90 % in windows at CUs ${busy} (figures bounded by the host)`);
  if (driver) notes.push(`load driver saturated in windows at CUs ${driver}`);
  return notes.length ? `⚠️ ${notes.join('; ')}.` : null;
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
  return `Each cell (stack × ${axis.unit}) is measured in **K = ${p.samples} windows** of ${p.durationS} s, each opened with fresh connections (so where the kernel places them is drawn anew) and ${p.cycleWarmupS} s of unmeasured load, ${p.pauseS} s apart. ${how}${windows ? ` (${windows} windows; the order is in manifest.json)` : ''}. Figures per cell: the median of the per-window values with a distribution-free 95 % interval from order statistics; latency distributions from the windows' merged HDR histograms, never averaged percentiles.${load}`;
}

function header(set: ResultSet, axis: Axis): string[] {
  const m = set.manifest;
  const p = m.profile.settings;
  const h = m.host;
  const lines = [
    `# stackbench result set \`${m.setId}\``,
    '',
    `Profile **${m.profile.name}** (hash \`${m.profile.hash}\`), suite commit \`${m.suite.commit}\`${m.suite.dirty ? ' (dirty tree)' : ''}, ${m.complete ? 'complete' : '**incomplete**'}.`,
    '',
    table(
      ['host', 'CPU', 'cores', 'memory MB', 'kernel', 'Node', 'somaxconn', 'open files'],
      [
        [
          h.slug,
          h.cpuModel,
          String(h.cores),
          String(h.memoryMb),
          h.kernel,
          h.node,
          String(h.somaxconn ?? 'n/a'),
          String(h.openFileLimit ?? 'n/a'),
        ],
      ],
    ).replace(/---:/g, '---'),
    '',
    `Workers ${p.workers}; ${axis.unit === 'CUs' ? 'CUs' : `offered load (${axis.unit})`} ${axis.levels.join(', ')}; connections: ${connectionModes(p).join(' and ')}; warm-up ${p.warmupS} s per stack start; backlog ${p.backlog}; timeout ${p.timeout} s; app \`${p.app}\`${
      Object.keys(p.appEnv).length
        ? ` with ${Object.entries(p.appEnv)
            .map(([k, v]) => `\`${k}=${v}\``)
            .join(', ')}`
        : ''
    }.`,
    '',
    methodLine(m, axis),
    '',
    `CPU placement: ${m.placement.pinned ? `driver on CPUs ${m.placement.driverCpus}, stack on ${m.placement.stackCpus}` : `not pinned (${m.placement.reason})`}.`,
  ];
  if (m.topology) lines.push('', topologyLine(m.topology));
  const overrides = Object.entries(m.overrides);
  if (overrides.length) {
    lines.push('', `Overrides: ${overrides.map(([k, v]) => `\`--${k} ${v}\``).join(' ')}.`);
  }
  if (m.serviceTime && axis.kind === 'users') {
    const t = m.serviceTime;
    const top = p.cycles.length ? Math.max(...p.cycles) : 0;
    lines.push(
      '',
      `App service time (in-process, ${t.samples} requests): CPU ${ms(t.cpuMs)} ms, sleep ${ms(t.sleepMs)} ms, writes ${ms(t.writesMs)} ms, total ${ms(t.totalMs)} ms; CPU time ${ms(t.cpuTimeMs)} ms per request. Little's-law capacity at ${top} CUs on ${h.cores} cores: ${f(capacityRps(t, top, h.cores), 1)} RPS.`,
    );
  }
  return lines;
}

export function renderMarkdown(set: ResultSet, charts: ChartSpec[]): string {
  const cellsByStack = new Map(set.stacks.map((s) => [s.stack.name, stackCells(s)]));
  const allCells = [...cellsByStack.values()].flat();
  const reference = new Set(set.manifest.stacks.filter((s) => s.reference).map((s) => s.name));
  const axis = axisOf(set.manifest.profile.settings);
  const modes = connectionModes(set.manifest.profile.settings);
  const out = [...header(set, axis), ''];
  const notRun = set.manifest.stacks.filter((s) => s.status === 'skipped' || s.status === 'failed');
  if (notRun.length) {
    out.push(
      `Not measured: ${notRun.map((s) => `**${s.name}** (${s.status}: ${s.reason ?? 'no reason recorded'})`).join('; ')}.`,
      '',
    );
  }
  if (allCells.length) out.push(...rankingSection(allCells, reference, axis), '');
  for (const chart of charts.filter((c) => !c.name.startsWith('durations-'))) {
    out.push(`![${chart.title}](charts/${chart.name}.svg)`, '');
  }
  for (const entry of set.manifest.stacks) {
    const result = set.stacks.find((s) => s.stack.name === entry.name);
    out.push(`## ${entry.name}${entry.reference ? ' (reference)' : ''}`, '');
    out.push(
      `${entry.title}. Status: **${entry.status}**${entry.reason ? ` (${entry.reason})` : ''}.`,
      '',
    );
    if (!result) continue;
    if (result.stack.description) out.push(result.stack.description, '');
    const versions = Object.entries(entry.versions);
    if (versions.length) {
      out.push(`Versions: ${versions.map(([k, v]) => `${k} ${v}`).join(', ')}.`, '');
    }
    const keepAlive = Object.entries(entry.keepAlive ?? {});
    if (keepAlive.length) {
      out.push(`Keep-alive: ${keepAlive.map(([k, v]) => `${k}: ${v}`).join('; ')}.`, '');
    }
    for (const run of result.runs.filter((r) => r.status === 'failed')) {
      out.push(`Round ${run.round} failed: ${run.error ?? 'unknown error'}`, '');
      if (run.logTail.length) out.push('```', ...run.logTail, '```', '');
    }
    const capacities = result.runs.filter((r) => typeof r.capacityRps === 'number');
    if (capacities.length) {
      out.push(
        `Capacity per round (closed loop, ${set.manifest.profile.settings.capacityCus} users; the offered rates are fractions of it): ${capacities.map((r) => `round ${r.round} ${f(r.capacityRps as number, 1)}`).join(', ')} RPS.`,
        '',
      );
    }
    const cells = cellsByStack.get(entry.name) ?? [];
    if (cells.length === 0) continue;
    out.push(
      "Per-window figures, median [95 % interval] (CPU ms/req: the CPU time of all the stack's processes over the window per finished request):",
      '',
      windowTable(cells, axis),
      '',
    );
    out.push(
      'All requests of the windows (durations in ms from the merged histograms; RPS the median over windows):',
      '',
      funkloadTable(cells, axis),
      '',
    );
    const note = saturationNote(cells, axis);
    if (note) out.push(note, '');
    out.push(
      "Server resources while loaded (CPU % of one core, summed over the stack's processes), per round:",
      '',
      serverTable(result),
      '',
    );
    const mine = new Set([
      `durations-${entry.name}`,
      ...modes.map((m) => `durations-${entry.name}-${m}`),
    ]);
    for (const chart of charts.filter((c) => mine.has(c.name))) {
      out.push(`![${chart.title}](charts/${chart.name}.svg)`, '');
    }
  }
  const low = lowConfidenceNote(allCells.flatMap((c) => Object.values(c.summary)));
  if (low) out.push(low, '');
  return `${out.join('\n').trimEnd()}\n`;
}

/** The header's topology: local, or the target and its driver hosts with their clock offsets. */
export function topologyLine(t: Topology): string {
  if (t.kind === 'local' || !t.target)
    return 'Topology: local (stacks and load driver on this host).';
  const drivers = t.drivers ?? [];
  const list = drivers
    .map(
      (d) =>
        `${d.name} (${d.facts.cores} cores, clock ${d.clockOffsetMs >= 0 ? '+' : ''}${d.clockOffsetMs} ms ± ${d.clockRttMs / 2} ms)`,
    )
    .join(', ');
  return `Topology: target + ${drivers.length} driver${drivers.length === 1 ? '' : 's'}: stacks on ${t.target.name} (${t.target.ssh}, ${t.target.facts.cores} cores, listening on ${t.target.address}); load from ${list}.${t.sync ? ` ${t.sync}` : ''}`;
}
