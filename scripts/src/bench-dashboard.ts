/**
 * What the web dashboard costs the supervisor: its CPU % and RSS (from its own stats snapshots)
 * with no page open vs with K pages streaming `/api/events`, alternated over rounds to spread host
 * noise; the bytes each page receives per second; the time to the first `init` frame; the weight
 * of the page with its vega builds. Workers: W real stackbench-adapter processes (hello app), idle.
 * Not a test: figures go into packages/supervisor/README.md ("Dashboard").
 * Run: node scripts/dist/bench-dashboard.js [--workers 8 --pages 10 --seconds 10 --rounds 3]
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '@stackbench/host-probe';
import { ControlClient, type StatsSnapshot } from '@stackbench/supervisor';
import { parseScriptOptions, secondsOption } from './script-options.js';
import { bins } from './workspace.js';

const { workers, pages, seconds, rounds } = parseScriptOptions(
  'bench:dashboard',
  'The dashboard: supervisor CPU with open pages, bytes per page, under a stats stream.',
  {
    workers: { type: 'integer', min: 1, default: 8, description: 'workers under the supervisor' },
    pages: { type: 'integer', min: 0, default: 10, description: 'dashboard pages open at once' },
    seconds: secondsOption(10, 'length of each measurement'),
    rounds: { type: 'integer', min: 1, default: 3, description: 'repetitions' },
  },
);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const dir = mkdtempSync(join(tmpdir(), 'bench-dashboard-'));

interface Page {
  bytes: number;
  close(): void;
}

/** One page's event stream; resolves once its `init` frame arrived. */
function openPage(port: number): Promise<{ page: Page; initMs: number }> {
  const asked = performance.now();
  return new Promise((done, fail) => {
    const page: Page = { bytes: 0, close: () => req.destroy() };
    let initMs = -1;
    const req = http.get({ host: '127.0.0.1', port, path: '/api/events' }, (res) => {
      res.on('data', (chunk: Buffer) => {
        page.bytes += chunk.length;
        if (initMs < 0 && chunk.includes('event: init')) {
          initMs = performance.now() - asked;
          done({ page, initMs });
        }
      });
    });
    req.on('error', fail);
  });
}

async function pageWeight(port: number): Promise<number> {
  const paths = ['/', '/dashboard.js', '/charts.js', '/dashboard.css'];
  paths.push('/vendor/vega.min.js', '/vendor/vega-lite.min.js', '/vendor/vega-embed.min.js');
  let total = 0;
  for (const path of paths) {
    total += (await (await fetch(`http://127.0.0.1:${port}${path}`)).arrayBuffer()).byteLength;
  }
  return total;
}

const dashboardPort = await freePort();
const config = join(dir, 'bench.ini');
writeFileSync(
  config,
  `[supervisor]
stats_interval = 1
dashboard = 127.0.0.1:${dashboardPort}
[socket:web]
port = 0
[watcher:web]
cmd = ${process.execPath} ${bins.adapter}
args = --fd $(circus.sockets.web) --backend node @stackbench/app:helloApp
numprocesses = ${workers}
use_sockets = true
readiness = ipc
stdout = null
`,
);
const child = spawn(process.execPath, [bins.supervisor, '--quiet', config], {
  detached: true,
  stdio: 'ignore',
});
const kill = () => {
  try {
    process.kill(-(child.pid as number), 'SIGKILL');
  } catch {}
};
process.on('exit', kill);

try {
  let client: ControlClient | undefined;
  for (let i = 0; i < 100 && !client; i++) {
    await sleep(100);
    client = await ControlClient.connect({ kind: 'unix', path: join(dir, 'bench.sock') }).catch(
      () => undefined,
    );
  }
  if (!client) throw new Error('the supervisor did not start');
  const snapshots: StatsSnapshot[] = [];
  await client.stream({ command: 'stats', follow: true }, (item) => {
    if ('stats' in item) snapshots.push(item.stats);
  });
  for (;;) {
    const ready = snapshots.at(-1)?.watchers[0]?.processes.filter((p) => p.state === 'ready');
    if (ready?.length === workers) break;
    await sleep(200);
  }
  await sleep(2000);

  const weight = await pageWeight(dashboardPort);
  const phase = async (open: number) => {
    const opened = await Promise.all(Array.from({ length: open }, () => openPage(dashboardPort)));
    const from = snapshots.length;
    const bytesBefore = opened.map((o) => o.page.bytes);
    const started = performance.now();
    await sleep(seconds * 1000);
    const elapsed = (performance.now() - started) / 1000;
    const window = snapshots.slice(from);
    const cpu = window.reduce((sum, s) => sum + s.supervisor.cpu, 0) / window.length;
    const rss = (window.at(-1)?.supervisor.rssBytes ?? 0) / 1024 / 1024;
    const perPage = open
      ? opened.reduce((sum, o, i) => sum + o.page.bytes - (bytesBefore[i] ?? 0), 0) / open / elapsed
      : 0;
    const initMs = open ? Math.max(...opened.map((o) => o.initMs)) : 0;
    for (const o of opened) o.page.close();
    await sleep(1000);
    return { cpu, rss, perPage, initMs };
  };
  const rows: string[] = [];
  for (let round = 1; round <= rounds; round++) {
    for (const open of [0, pages]) {
      const r = await phase(open);
      rows.push(
        `| ${round} | ${open} | ${r.cpu.toFixed(2)} | ${r.rss.toFixed(1)} | ${open ? (r.perPage / 1024).toFixed(1) : '–'} | ${open ? r.initMs.toFixed(0) : '–'} |`,
      );
    }
  }
  client.close();
  console.log(`${workers} idle adapter workers, stats every 1 s, ${seconds} s per phase`);
  console.log(
    `page weight (HTML, scripts, CSS, vega builds; uncompressed): ${(weight / 1024).toFixed(0)} KiB\n`,
  );
  console.log(
    '| round | pages open | supervisor CPU % | supervisor RSS MB | KiB/s per page | slowest init ms |',
  );
  console.log('|---|---|---|---|---|---|');
  console.log(rows.join('\n'));
} finally {
  kill();
  rmSync(dir, { recursive: true, force: true });
}
