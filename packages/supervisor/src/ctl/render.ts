/** Human output of `stackbench-ctl`: one small table or line per command (`--json` skips this). */
import type { CommandName, ResultOf } from '../commands/index.js';
import type { StatsSnapshot } from '../stats/types.js';

export function table(header: string[], rows: (string | number)[][]): string {
  const cells = [header, ...rows.map((row) => row.map(String))];
  const widths = header.map((_, i) => Math.max(...cells.map((row) => (row[i] ?? '').length)));
  return cells
    .map((row) =>
      row
        .map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i] ?? 0)))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);

function renderStats(s: StatsSnapshot): string {
  const parts = [
    `supervisor pid ${s.supervisor.pid}: cpu ${s.supervisor.cpu}%  rss ${mb(s.supervisor.rssBytes)} MB`,
  ];
  const rows = s.watchers.flatMap((w) =>
    w.processes.map((p) => [
      w.name,
      p.pid,
      p.wid,
      p.state,
      p.cpu,
      mb(p.rssBytes),
      p.ageSeconds,
      p.requestsPerSecond,
      p.requests,
    ]),
  );
  parts.push(
    table(['watcher', 'pid', 'wid', 'state', 'cpu%', 'rss MB', 'age s', 'req/s', 'requests'], rows),
  );
  parts.push(
    table(
      ['watcher', 'state', 'procs', 'restarts', 'cpu%', 'rss MB', 'req/s', 'requests', 'errors'],
      s.watchers.map((w) => [
        w.name,
        w.state,
        w.totals.processes,
        w.restarts,
        w.totals.cpu,
        mb(w.totals.rssBytes),
        w.totals.requestsPerSecond,
        w.totals.requests,
        w.totals.errors,
      ]),
    ),
  );
  if (s.sockets.length) {
    parts.push(
      table(
        ['socket', 'address', 'fd', 'accept queue', 'backlog', 'req/s'],
        s.sockets.map((k) => [
          k.name,
          k.address,
          k.fd,
          k.acceptQueue ?? '?',
          k.backlog,
          k.requestsPerSecond,
        ]),
      ),
    );
  }
  return parts.join('\n\n');
}

export function render<C extends CommandName>(command: C, result: ResultOf<C>): string {
  const r = result as ResultOf<CommandName>;
  switch (command) {
    case 'list': {
      const list = r as ResultOf<'list'>;
      return 'pids' in list ? list.pids.join('\n') : list.watchers.join('\n');
    }
    case 'status': {
      const s = r as ResultOf<'status'>;
      const lines = [
        table(
          ['watcher', 'state', 'wanted', 'running', 'ready', 'restarts', 'note'],
          s.watchers.map((w) => [
            w.name,
            w.state,
            w.numprocesses,
            w.running,
            w.ready,
            w.restarts,
            w.reloading ? 'reloading' : w.stopReason,
          ]),
        ),
      ];
      if (s.sockets.length) {
        lines.push(
          '',
          table(
            ['socket', 'address', 'fd', 'backlog'],
            s.sockets.map((k) => [k.name, k.address, k.fd, k.backlog]),
          ),
        );
      }
      lines.push(
        '',
        `supervisor pid ${s.pid}, up ${s.uptimeSeconds} s, config ${s.config}`,
        `endpoint   ${s.endpoint}`,
        `dashboard  ${s.dashboard ?? '(not configured)'}`,
        `token file ${s.tokenFile}`,
      );
      return lines.join('\n');
    }
    case 'numprocesses':
    case 'incr':
    case 'decr': {
      const c = r as ResultOf<'incr'>;
      return `${c.watcher}: ${c.numprocesses}`;
    }
    case 'start':
    case 'stop':
    case 'restart':
      return `${command}: ${(r as ResultOf<'start'>).watchers.join(', ') || '(none)'}`;
    case 'reload':
      return (r as ResultOf<'reload'>).watchers
        .map((w) => `reloaded ${w.name}: ${w.replaced} replaced`)
        .join('\n');
    case 'signal': {
      const s = r as ResultOf<'signal'>;
      return `${s.signal} sent to ${s.watcher}: ${s.pids.join(', ') || '(no process)'}`;
    }
    case 'stats':
      return renderStats(r as StatsSnapshot);
    case 'quit':
      return 'supervisor is stopping';
    default:
      return JSON.stringify(r, null, 2);
  }
}
