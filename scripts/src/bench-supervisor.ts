/**
 * The supervisor's own cost and its effect on serving, with real stackbench-adapter workers
 * (hello app, so per-request overhead is as visible as it can be):
 *   1. supervisor RSS and CPU with 50 idle workers, then with 50 busy workers, stats every 1 s;
 *   2. time from `incr 10` to 10 more workers ready (IPC ready);
 *   3. requests/s of N adapters under the supervisor vs the same N adapters on one shared fd
 *      started by a trivial parent (no IPC, no stats), alternated A/B to spread host noise.
 * With --baseline DIR (a built checkout of another commit), only part 1's idle figure, for this
 * tree and that one alternately in the same run, with their ratios.
 * Not a test: figures go into packages/supervisor/README.md.
 * Run: npm run bench:supervisor [-- --workers 50 --seconds 10 --rps-workers 2 --rounds 3]
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { cpuSecondsOf } from '@stackbench/host-probe';
import { bindSockets, ControlClient, type SupervisorEvent } from '@stackbench/supervisor';
import { parseScriptOptions, secondsOption } from './script-options.js';
import { bins, binsOf, root } from './workspace.js';

const { workers, seconds, rpsWorkers, rounds, connections, baseline } = parseScriptOptions(
  'bench:supervisor',
  "The supervisor's own CPU and RSS (idle and busy workers), incr latency, and requests/s against a trivial parent.",
  {
    workers: {
      type: 'integer',
      min: 1,
      default: 50,
      description: 'workers for the CPU and RSS figures',
    },
    seconds: secondsOption(10, 'seconds per measurement'),
    rpsWorkers: {
      type: 'integer',
      min: 1,
      default: 2,
      description: 'adapters for the requests/s comparison',
    },
    rounds: {
      type: 'integer',
      min: 0,
      default: 6,
      description: 'A/B rounds (0: skip the requests/s part)',
    },
    connections: { type: 'integer', min: 1, default: 64, description: 'wrk connections' },
    baseline: {
      type: 'string',
      valueName: 'DIR',
      description: 'a built checkout of another commit: compare idle CPU only, alternately',
    },
  },
);

const app = '@stackbench/app:helloApp';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const dir = mkdtempSync(join(tmpdir(), 'bench-supervisor-'));
const cleanups: (() => void)[] = [];
process.on('exit', () => {
  for (const cleanup of cleanups.reverse()) cleanup();
  rmSync(dir, { recursive: true, force: true });
});
process.on('SIGINT', () => process.exit(130));
process.on('SIGTERM', () => process.exit(143));

/** CPU seconds of a pid, with its reaped children (the `ss` runs) when asked. */
const cpuSeconds = (pid: number, children = false) => cpuSecondsOf(pid, { children }) ?? Number.NaN;
function rssMb(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').match(/VmRSS:\s+(\d+)/);
  return Number(line?.[1]) / 1024;
}

/** Requests/s from wrk (C, light on a 2-core host) for `secs` seconds. */
function load(port: number, secs: number): number {
  const out = execFileSync(
    'wrk',
    ['-t1', `-c${connections}`, `-d${secs}s`, `http://127.0.0.1:${port}/`],
    { encoding: 'utf8' },
  );
  const match = out.match(/Requests\/sec:\s+([\d.]+)/);
  if (!match) throw new Error(`wrk output without Requests/sec:\n${out}`);
  if (/Non-2xx|Socket errors/.test(out)) console.error(`wrk reported errors:\n${out}`);
  return Number(match[1]);
}

interface Running {
  pid: number;
  client: ControlClient;
  events: SupervisorEvent[];
  port: number;
}

async function startSupervisor(n: number, tree = root): Promise<Running> {
  const bins = binsOf(tree);
  const config = join(dir, `s${n}.ini`);
  writeFileSync(
    config,
    `[supervisor]\nstats_interval = 1\n\n[socket:web]\nport = 0\n\n[watcher:web]\ncmd = ${process.execPath} ${bins.adapter}\nargs = --fd $(circus.sockets.web) --backend node ${app}\nnumprocesses = ${n}\nuse_sockets = true\nreadiness = ipc\nready_timeout = 120\nstdout = null\nstderr = ${join(dir, 'workers.err')}\n`,
  );
  const child = spawn(process.execPath, [bins.supervisor, '--quiet', config], {
    detached: true,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const pid = child.pid as number;
  cleanups.push(() => {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {}
  });
  let client: ControlClient | undefined;
  for (let i = 0; i < 200 && !client; i++) {
    client = await ControlClient.connect({ kind: 'unix', path: join(dir, `s${n}.sock`) }).catch(
      () => undefined,
    );
    if (!client) await sleep(50);
  }
  if (!client) throw new Error('supervisor did not open its endpoint');
  const events: SupervisorEvent[] = [];
  await client.stream({ command: 'events' }, (item) => {
    if ('event' in item) events.push(item.event);
  });
  const status = await client.request({ command: 'status' });
  const port = Number(status.sockets[0]?.address.split(':').pop());
  return { pid, client, events, port };
}

async function waitReady(running: Running, count: number, timeoutMs = 180_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const status = await running.client.request({ command: 'status', watcher: 'web' });
    if ((status.watchers[0]?.ready ?? 0) >= count) return;
    await sleep(100);
  }
  throw new Error(`fewer than ${count} workers ready`);
}

async function stopSupervisor(running: Running): Promise<void> {
  await running.client.request({ command: 'quit' }).catch(() => {});
  running.client.close();
  for (let i = 0; i < 200; i++) {
    try {
      process.kill(running.pid, 0);
      await sleep(50);
    } catch {
      return;
    }
  }
}

/** Supervisor CPU (% of one core, own and with its reaped `ss` children) over `secs`. */
async function measure(pid: number, secs: number, during?: () => void) {
  const own0 = cpuSeconds(pid);
  const all0 = cpuSeconds(pid, true);
  const t0 = Date.now();
  if (during) during();
  else await sleep(secs * 1000);
  const elapsed = (Date.now() - t0) / 1000;
  return {
    cpu: (100 * (cpuSeconds(pid) - own0)) / elapsed,
    cpuWithSs: (100 * (cpuSeconds(pid, true) - all0)) / elapsed,
    rss: rssMb(pid),
  };
}

console.log(
  `host: ${cpus()[0]?.model ?? 'unknown CPU'}, ${availableParallelism()} cores, Node ${process.version}, load average ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
);

// 0. With a baseline tree: idle CPU of both, alternately (which goes first alternates too).
if (baseline !== undefined) {
  const trees = { this: root, baseline: resolve(baseline) };
  const figures: Record<keyof typeof trees, { cpu: number; cpuWithSs: number; rss: number }[]> = {
    this: [],
    baseline: [],
  };
  for (let round = 0; round < Math.max(1, rounds); round++) {
    const order =
      round % 2 === 0 ? (['baseline', 'this'] as const) : (['this', 'baseline'] as const);
    for (const which of order) {
      const running = await startSupervisor(workers, trees[which]);
      await waitReady(running, workers);
      await sleep(2000); // the start-up's CPU is not the idle figure
      figures[which].push(await measure(running.pid, seconds));
      await stopSupervisor(running);
    }
  }
  const median = (xs: number[]) =>
    [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
  console.log(
    `\n| ${workers} idle workers, stats every 1 s, ${seconds} s × ${figures.this.length} | CPU % of a core (median) | incl. ss children | RSS MB |`,
  );
  console.log('|---|---|---|---|');
  for (const which of ['baseline', 'this'] as const) {
    const f = figures[which];
    console.log(
      `| ${which} (${trees[which]}) | ${median(f.map((x) => x.cpu)).toFixed(2)} [${f.map((x) => x.cpu.toFixed(2)).join(', ')}] | ${median(f.map((x) => x.cpuWithSs)).toFixed(2)} [${f.map((x) => x.cpuWithSs.toFixed(2)).join(', ')}] | ${median(f.map((x) => x.rss)).toFixed(1)} |`,
    );
  }
  const ratio = (pick: (x: { cpu: number; cpuWithSs: number }) => number) =>
    median(figures.this.map(pick)) / median(figures.baseline.map(pick));
  console.log(
    `ratio this / baseline: ${ratio((x) => x.cpu).toFixed(2)} (own), ${ratio((x) => x.cpuWithSs).toFixed(2)} (with children)`,
  );
  process.exit(0);
}

// 1. 50 idle, then 50 busy workers.
const big = await startSupervisor(workers);
const t0 = Date.now();
await waitReady(big, workers);
console.log(`${workers} adapters ready ${((Date.now() - t0) / 1000).toFixed(1)} s after start`);
await sleep(2000);
const idle = await measure(big.pid, seconds);
let busyRps = 0;
const busy = await measure(big.pid, seconds, () => {
  busyRps = load(big.port, seconds);
});
const snapshot = await big.client.request({ command: 'stats' });
console.log(
  '\n| supervisor, stats every 1 s | CPU % of a core | CPU % incl. ss children | RSS MB |',
);
console.log('|---|---|---|---|');
console.log(
  `| ${workers} idle workers | ${idle.cpu.toFixed(2)} | ${idle.cpuWithSs.toFixed(2)} | ${idle.rss.toFixed(1)} |`,
);
console.log(
  `| ${workers} busy workers (${busyRps.toFixed(0)} req/s, wrk ${connections} conns) | ${busy.cpu.toFixed(2)} | ${busy.cpuWithSs.toFixed(2)} | ${busy.rss.toFixed(1)} |`,
);
console.log(
  `(its own last snapshot: requests/s ${snapshot.watchers[0]?.totals.requestsPerSecond}, ${snapshot.watchers[0]?.totals.processes} processes)`,
);

// 2. incr 10 → 10 more ready.
const before = big.events.length;
const t1 = Date.now();
await big.client.request({ command: 'incr', watcher: 'web', n: 10 });
while (big.events.slice(before).filter((e) => e.type === 'ready').length < 10) {
  if (Date.now() - t1 > 60_000) {
    const deaths = big.events.filter((e) => e.type === 'exit' || e.type === 'flapping');
    console.error(
      `incr 10 did not bring 10 ready workers in 60 s; exits: ${JSON.stringify(deaths)}`,
    );
    console.error(readFileSync(join(dir, 'workers.err'), 'utf8').split('\n').slice(-30).join('\n'));
    process.exit(1);
  }
  await sleep(10);
}
const incrMs = Date.now() - t1;
console.log(
  `\nincr 10 → 10 more workers ready (IPC ready): ${incrMs} ms (with ${workers} running)`,
);
await stopSupervisor(big);

// 3. N adapters under the supervisor vs a trivial parent sharing one fd.
async function trivialParent(n: number) {
  const sockets = await bindSockets([
    { name: 'web', family: 'AF_INET', host: '127.0.0.1', port: 0, backlog: 2048 },
  ]);
  const socket = sockets.list[0]!;
  const pids = Array.from({ length: n }, () => {
    const child = spawn(process.execPath, [bins.adapter, '--fd', '3', '--backend', 'node', app], {
      stdio: ['ignore', 'ignore', 'ignore', socket.fd],
      detached: true,
    });
    return child.pid as number;
  });
  const kill = () => {
    for (const pid of pids) {
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {}
    }
    sockets.close();
  };
  cleanups.push(kill);
  // No IPC here: wait until every worker has the socket open in LISTEN, then a little more.
  await sleep(3000);
  return { port: socket.port as number, kill };
}

const results: { supervisor: number[]; trivial: number[] } = { supervisor: [], trivial: [] };
if (rounds === 0) process.exit(0);
for (let round = 0; round < rounds; round++) {
  // Alternate which goes first, so that a drift in host load does not favour one side.
  const runSupervisor = async () => {
    const sup = await startSupervisor(rpsWorkers);
    await waitReady(sup, rpsWorkers);
    load(sup.port, 2); // warm-up
    results.supervisor.push(load(sup.port, seconds));
    await stopSupervisor(sup);
  };
  const runTrivial = async () => {
    const plain = await trivialParent(rpsWorkers);
    load(plain.port, 2);
    results.trivial.push(load(plain.port, seconds));
    plain.kill();
  };
  if (round % 2 === 0) {
    await runSupervisor();
    await runTrivial();
  } else {
    await runTrivial();
    await runSupervisor();
  }
}
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
console.log(
  `\n| ${rpsWorkers} adapters (hello app), wrk -c${connections} ${seconds} s × ${rounds} | req/s per run | mean |`,
);
console.log('|---|---|---|');
console.log(
  `| under stackbench-supervisor | ${results.supervisor.map((r) => r.toFixed(0)).join(', ')} | ${mean(results.supervisor).toFixed(0)} |`,
);
console.log(
  `| trivial parent, shared fd | ${results.trivial.map((r) => r.toFixed(0)).join(', ')} | ${mean(results.trivial).toFixed(0)} |`,
);
const ratios = results.supervisor
  .map((r, i) => r / (results.trivial[i] as number))
  .sort((a, b) => a - b);
const median = ratios[Math.floor(ratios.length / 2)] as number;
console.log(
  `ratio supervisor / trivial: ${(mean(results.supervisor) / mean(results.trivial)).toFixed(3)} (means), ${median.toFixed(3)} (median of paired rounds: ${ratios.map((r) => r.toFixed(3)).join(', ')})`,
);
console.log(
  `load average at the end: ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
);
process.exit(0);
