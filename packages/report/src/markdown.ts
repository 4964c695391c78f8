/**
 * report.md: host and profile summary, a comparison across stacks, then per stack Funkload's
 * table and the server resources. Pure function of the result set, so re-runs are identical.
 */
import { capacityRps } from '@stackbench/app/service-time';
import type { ChartSpec } from './charts.js';
import type { ResultSet } from './read-set.js';
import { type CycleRow, stackRows } from './rows.js';
import type { StackResult } from './schema.js';

const f = (value: number, digits: number) => value.toFixed(digits);
const ms = (value: number) => f(value, 1);

function table(header: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---:')), ...rows.map(line)].join('\n');
}

function funkloadTable(rows: CycleRow[]): string {
  return table(
    ['CUs', 'RPS', 'success %', 'avg', 'min', 'p10', 'med', 'p90', 'p95', 'max'],
    rows.map((r) => [
      String(r.cus),
      f(r.rps, 1),
      f(r.successPct, 2),
      ms(r.avg),
      ms(r.min),
      ms(r.p10),
      ms(r.med),
      ms(r.p90),
      ms(r.p95),
      ms(r.max),
    ]),
  );
}

function serverTable(result: StackResult): string {
  const rows = result.runs
    .filter((run) => run.server.summary)
    .map((run) => {
      const s = run.server.summary!;
      return [
        String(run.repeat),
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
      'run',
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

/** Cycles whose figures measure the host or the driver more than the stack. */
function saturationNote(result: StackResult): string | null {
  const busy = new Set<number>();
  const driver = new Set<number>();
  for (const run of result.runs) {
    for (const cycle of run.load?.cycles ?? []) {
      if (cycle.hostCpuBusyPercent > 90) busy.add(cycle.users);
      if (cycle.driverSaturated) driver.add(cycle.users);
    }
  }
  const list = (s: Set<number>) => [...s].sort((a, b) => a - b).join(', ');
  const notes: string[] = [];
  if (busy.size)
    notes.push(`host CPU above 90 % at ${list(busy)} CUs (figures bounded by the host)`);
  if (driver.size) notes.push(`load driver saturated at ${list(driver)} CUs`);
  return notes.length ? `⚠️ ${notes.join('; ')}.` : null;
}

function header(set: ResultSet): string[] {
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
    `Workers ${p.workers}; CUs ${p.cycles.join(', ')}; ${p.durationS} s per cycle after ${p.warmupS} s warm-up; backlog ${p.backlog}; timeout ${p.timeout} s; ${p.repeat} run(s) per stack; app \`${p.app}\`${
      Object.keys(p.appEnv).length
        ? ` with ${Object.entries(p.appEnv)
            .map(([k, v]) => `\`${k}=${v}\``)
            .join(', ')}`
        : ''
    }.`,
    '',
    `CPU placement: ${m.placement.pinned ? `driver on CPUs ${m.placement.driverCpus}, stack on ${m.placement.stackCpus}` : `not pinned (${m.placement.reason})`}.`,
  ];
  const overrides = Object.entries(m.overrides);
  if (overrides.length) {
    lines.push('', `Overrides: ${overrides.map(([k, v]) => `\`--${k} ${v}\``).join(' ')}.`);
  }
  if (m.serviceTime) {
    const t = m.serviceTime;
    const top = p.cycles.length ? Math.max(...p.cycles) : 0;
    lines.push(
      '',
      `App service time (in-process, ${t.samples} requests): CPU ${ms(t.cpuMs)} ms, sleep ${ms(t.sleepMs)} ms, writes ${ms(t.writesMs)} ms, total ${ms(t.totalMs)} ms; CPU time ${ms(t.cpuTimeMs)} ms per request. Little's-law capacity at ${top} CUs on ${h.cores} cores: ${f(capacityRps(t, top, h.cores), 1)} RPS.`,
    );
  }
  return lines;
}

function comparison(set: ResultSet): string {
  const rows = set.manifest.stacks.map((entry) => {
    const result = set.stacks.find((s) => s.stack.name === entry.name);
    const rows = result ? stackRows(result) : [];
    const name = entry.reference ? `${entry.name} (reference)` : entry.name;
    if (rows.length === 0) return [name, entry.status, '', '', '', '', ''];
    const best = rows.reduce((a, b) => (b.rps > a.rps ? b : a));
    const last = rows[rows.length - 1]!;
    const failures = rows.reduce((sum, r) => sum + r.failures, 0);
    return [
      name,
      entry.status,
      `${f(best.rps, 1)} @ ${best.cus}`,
      f(last.rps, 1),
      ms(last.med),
      ms(last.p95),
      f(failures, 0),
    ];
  });
  const top = set.manifest.profile.settings.cycles;
  const at = top.length ? Math.max(...top) : 0;
  return table(
    [
      'stack',
      'status',
      'best RPS @ CUs',
      `RPS @ ${at}`,
      `med ms @ ${at}`,
      `p95 ms @ ${at}`,
      'failures',
    ],
    rows,
  ).replace(/^\| ---: \| ---: /m, '| --- | --- ');
}

export function renderMarkdown(set: ResultSet, charts: ChartSpec[]): string {
  const out = [...header(set), '', '## Comparison', '', comparison(set), ''];
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
    if (result) {
      if (result.stack.description) out.push(result.stack.description, '');
      const versions = Object.entries(entry.versions);
      if (versions.length) {
        out.push(`Versions: ${versions.map(([k, v]) => `${k} ${v}`).join(', ')}.`, '');
      }
      for (const run of result.runs.filter((r) => r.status === 'failed')) {
        out.push(`Run ${run.repeat} failed: ${run.error ?? 'unknown error'}`, '');
        if (run.logTail.length) out.push('```', ...run.logTail, '```', '');
      }
      const rows = stackRows(result);
      if (rows.length) {
        out.push(funkloadTable(rows), '');
        const note = saturationNote(result);
        if (note) out.push(note, '');
        out.push('Durations in ms. Server resources while loading:', '', serverTable(result), '');
        const chart = charts.find((c) => c.name === `durations-${entry.name}`);
        if (chart) out.push(`![${chart.title}](charts/${chart.name}.svg)`, '');
      }
    }
  }
  return `${out.join('\n').trimEnd()}\n`;
}
