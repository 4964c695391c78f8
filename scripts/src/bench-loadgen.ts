/**
 * The load driver's own ceiling: maximum RPS per driver core against the fastest local server
 * (nginx if installed, else a node:http hello), driver and server pinned to their own core with
 * taskset, beside wrk's and autocannon's on the same setup; then the driver's CPU at the paper
 * profile's rates (hundreds of RPS); then the accounting of autocannon (raw and as our
 * `--engine autocannon`) and of our native engine against servers that misbehave on purpose.
 * Not a test: figures go into packages/loadgen/README.md.
 * Run: npm run bench:loadgen [-- --duration S --users N --rounds N]
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import net from 'node:net';
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { freePort } from '@stackbench/host-probe';
import { DEFAULT_LOAD_OPTIONS, type LoadResult, runLoad } from '@stackbench/loadgen';
import autocannonRun from 'autocannon';
import { parseScriptOptions } from './script-options.js';

const options = parseScriptOptions(
  'bench:loadgen',
  'The load driver against wrk and autocannon, its CPU at the paper rates, and its accounting.',
  {
    duration: {
      type: 'number',
      min: 0,
      exclusiveMin: true,
      seconds: true,
      default: 10,
      description: 'seconds per measurement',
    },
    users: { type: 'integer', min: 1, default: 50, description: 'concurrent users' },
    rounds: { type: 'integer', min: 1, default: 3, description: 'repetitions' },
  },
);
const { rounds, users } = options;
const durationS = options.duration;

const require = createRequire(import.meta.url);
const loadBin = fileURLToPath(
  new URL('../../packages/loadgen/bin/stackbench-load.js', import.meta.url),
);
const autocannonBin = join(require.resolve('autocannon/package.json'), '..', 'autocannon.js');
const work = mkdtempSync(join(tmpdir(), 'bench-loadgen-'));
const children: ChildProcess[] = [];
const has = (cmd: string) => {
  try {
    execFileSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
};
const pinned = has('taskset') && availableParallelism() >= 2;
const pin = (core: number, argv: string[]) =>
  pinned ? ['taskset', '-c', String(core), ...argv] : argv;

function cleanup(): void {
  for (const child of children) {
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  rmSync(work, { recursive: true, force: true });
}
process.on('exit', cleanup);
process.on('SIGINT', () => process.exit(130));

async function waitForPort(port: number): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const ok = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1', () => resolve(socket.destroy() === socket));
      socket.on('error', () => resolve(false));
    });
    if (ok) return;
    await sleep(50);
  }
  throw new Error(`nothing listens on 127.0.0.1:${port}`);
}

function startDetached(argv: string[]): ChildProcess {
  const child = spawn(argv[0]!, argv.slice(1), { detached: true, stdio: 'ignore' });
  children.push(child);
  return child;
}

/** nginx from Debian with a config in a temp dir: one worker, a 5-byte body, no logs. */
async function startNginx(port: number): Promise<string> {
  const conf = join(work, 'nginx.conf');
  const temp = (name: string) => `${name} ${join(work, name)};`;
  writeFileSync(
    conf,
    `worker_processes 1; pid ${join(work, 'nginx.pid')}; error_log ${join(work, 'error.log')};
events { worker_connections 4096; }
http { access_log off; ${['client_body_temp_path', 'proxy_temp_path', 'fastcgi_temp_path', 'uwsgi_temp_path', 'scgi_temp_path'].map(temp).join(' ')}
  server { listen 127.0.0.1:${port} backlog=4096; location / { return 200 'hello'; } } }\n`,
  );
  startDetached(
    pin(1, ['nginx', '-p', work, '-e', join(work, 'error.log'), '-c', conf, '-g', 'daemon off;']),
  );
  await waitForPort(port);
  return 'nginx 1 worker';
}

/** The fallback: a minimal node:http hello. */
async function startNodeHello(port: number): Promise<string> {
  const code = `require('http').createServer((q,s)=>s.end('hello')).listen(${port},'127.0.0.1')`;
  startDetached(pin(1, [process.execPath, '-e', code]));
  await waitForPort(port);
  return 'node:http hello';
}

function run(argv: string[]): string {
  return execFileSync(argv[0]!, argv.slice(1), {
    encoding: 'utf8',
    maxBuffer: 64 << 20,
    stdio: ['ignore', 'pipe', 'ignore'],
  });
}

function ours(url: string, cu: number, extra: string[]): LoadResult {
  const out = join(work, 'ours.json');
  run(
    pin(0, [
      process.execPath,
      loadBin,
      '-c',
      String(cu),
      '-d',
      String(durationS),
      '--warmup',
      '1',
      '-o',
      out,
      ...extra,
      url,
    ]),
  );
  return JSON.parse(readFileSync(out, 'utf8')) as LoadResult;
}

function wrk(url: string): number {
  const text = run(pin(0, ['wrk', '-t1', `-c${users}`, `-d${Math.round(durationS)}s`, url]));
  return Number(/Requests\/sec:\s+([\d.]+)/.exec(text)?.[1]);
}

function autocannon(url: string): number {
  const text = run(
    pin(0, [
      process.execPath,
      autocannonBin,
      '-c',
      String(users),
      '-d',
      String(Math.round(durationS)),
      '-j',
      url,
    ]),
  );
  const json = JSON.parse(text) as {
    requests: { total: number };
    duration: number;
    non2xx: number;
  };
  return json.requests.total / json.duration;
}

const port = await freePort();
const server = has('nginx') ? await startNginx(port) : await startNodeHello(port);
const url = `http://127.0.0.1:${port}/`;
const load = () =>
  loadavg()
    .map((n) => n.toFixed(2))
    .join(' ');
console.log(`load average before: ${load()} (other work on the host skews every figure below)`);
const f = (n: number) => Math.round(n).toLocaleString('en-US');

console.log(
  `host: ${cpus()[0]?.model ?? 'unknown CPU'}, ${availableParallelism()} cores, Node ${process.version}`,
);
console.log(
  `server: ${server} on core 1; driver on core 0 (${pinned ? 'taskset' : 'NOT pinned'}); ${users} connections, ${durationS} s each\n`,
);
// Interleaved rounds, best of each: other work on a shared host only ever lowers a maximum.
const best = { wrk: Number.NaN, autocannon: 0, ours: 0, oursOnAutocannon: 0 };
let oursBest: LoadResult['cycles'][number] | undefined;
let oursAcBest: LoadResult['cycles'][number] | undefined;
for (let round = 0; round < rounds; round++) {
  const wrkRps = has('wrk') ? wrk(url) : Number.NaN;
  if (!Number.isNaN(wrkRps)) best.wrk = Math.max(Number.isNaN(best.wrk) ? 0 : best.wrk, wrkRps);
  const autocannonRps = autocannon(url);
  best.autocannon = Math.max(best.autocannon, autocannonRps);
  const c = ours(url, users, []).cycles[0]!;
  const a = ours(url, users, ['--engine', 'autocannon']).cycles[0]!;
  console.log(
    `round ${round + 1}: wrk ${f(wrkRps)} autocannon ${f(autocannonRps)} ours ${f(c.rps.successful)} ` +
      `(driver CPU ${c.driverCpu.percent}%, event loop ${Math.round(c.driverCpu.maxEventLoopUtilization * 100)}%, host ${c.hostCpuBusyPercent}%) ` +
      `ours --engine autocannon ${f(a.rps.successful)} (event loop ${Math.round(a.driverCpu.maxEventLoopUtilization * 100)}%)`,
  );
  if (c.rps.successful > best.ours) {
    best.ours = c.rps.successful;
    oursBest = c;
  }
  if (a.rps.successful > best.oursOnAutocannon) {
    best.oursOnAutocannon = a.rps.successful;
    oursAcBest = a;
  }
}
const ratio = (rps: number) =>
  Number.isFinite(best.wrk) ? `${(rps / best.wrk).toFixed(2)}×` : 'n/a';
console.log(`\nbest of ${rounds} rounds:\n`);
console.log('| driver | max RPS on 1 core | vs wrk | notes |');
console.log('|---|---|---|---|');
if (Number.isFinite(best.wrk)) console.log(`| wrk 4.1 (C, 1 thread) | ${f(best.wrk)} | 1.00× | |`);
console.log(`| autocannon 9 | ${f(best.autocannon)} | ${ratio(best.autocannon)} | |`);
const notes = (o: LoadResult['cycles'][number]) =>
  `driver CPU ${o.driverCpu.percent}%, event loop ${Math.round(o.driverCpu.maxEventLoopUtilization * 100)}%, host CPU ${o.hostCpuBusyPercent}%, saturated: ${o.driverSaturated}, p50 ${o.latencyMs.p50} ms`;
console.log(`| stackbench-load | ${f(best.ours)} | ${ratio(best.ours)} | ${notes(oursBest!)} |`);
console.log(
  `| stackbench-load --engine autocannon | ${f(best.oursOnAutocannon)} | ${ratio(best.oursOnAutocannon)} | ${notes(oursAcBest!)} |`,
);

// The paper profile: 50..400 users at a few hundred RPS in all (the seed app sleeps 100 ms).
console.log(
  '\nAt paper-profile rates (think time sets the rate; same server, driver on one core):\n',
);
console.log(
  '| users | think time | RPS | driver CPU | busiest event loop | host CPU | saturated |',
);
console.log('|---|---|---|---|---|---|---|');
for (const [cu, think] of [
  [50, 0.1],
  [400, 1],
] as const) {
  const c = ours(url, cu, ['--sleep-time', String(think)]).cycles[0]!;
  console.log(
    `| ${cu} | ${think} s | ${f(c.rps.successful)} | ${c.driverCpu.percent}% | ${Math.round(c.driverCpu.maxEventLoopUtilization * 100)}% | ${c.hostCpuBusyPercent}% | ${c.driverSaturated} |`,
  );
}
await accounting();
console.log(`\nload average after: ${load()}`);
cleanup();

/**
 * Accounting against servers that misbehave on purpose (in this process; speed is not the
 * point): what the server saw, what autocannon reports, what our driver reports.
 */
async function accounting(): Promise<void> {
  const ok = 'HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok';
  const cases: [string, (n: number, socket: net.Socket) => void][] = [
    ['closes every 3rd connection unanswered', (n, s) => (n % 3 ? s.write(ok) : s.end())],
    ['resets every 2nd request', (n, s) => (n % 2 ? s.write(ok) : s.resetAndDestroy())],
  ];
  console.log('\nAccounting, 2 connections, 1 s, against servers that misbehave on purpose:\n');
  console.log(
    '| server | seen by server (autocannon / ours native / ours on autocannon) | autocannon: sent / 2xx / errors / p50 ms | ours native: sent / ok / failed by kind / p50 ms | ours --engine autocannon: sent / ok / failed by kind / lost / stale latencies / p50 ms |',
  );
  console.log('|---|---|---|---|---|');
  for (const [name, answer] of cases) {
    let requests = 0;
    const sockets = new Set<net.Socket>();
    const server = net.createServer((socket) => {
      sockets.add(socket);
      socket.on('error', () => {});
      // Requests are tiny and arrive whole on loopback: one per blank line.
      socket.on('data', (chunk) => {
        const count = chunk.toString('latin1').split('\r\n\r\n').length - 1;
        for (let i = 0; i < count; i++) answer(++requests, socket);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const target = `http://127.0.0.1:${(server.address() as net.AddressInfo).port}/`;
    const ac = await autocannonRun({ url: target, connections: 2, duration: 1 });
    const acSeen = requests;
    const cycle = async (engine: 'native' | 'autocannon') =>
      (
        await runLoad({
          ...DEFAULT_LOAD_OPTIONS,
          url: target,
          cycles: [2],
          durationS: 1,
          engine,
        })
      ).cycles[0]!;
    const c = await cycle('native');
    const nativeSeen = requests - acSeen;
    const e = await cycle('autocannon');
    const engineSeen = requests - acSeen - nativeSeen;
    const kinds = (x: typeof c) =>
      Object.entries(x.failures)
        .filter(([k, v]) => k !== 'total' && typeof v === 'number' && v > 0)
        .map(([k, v]) => `${k} ${f(v as number)}`)
        .join(', ') || '0';
    console.log(
      `| ${name} | ${f(acSeen)} / ${f(nativeSeen)} / ${f(engineSeen)} | ${f(ac.requests.sent)} / ${f(ac['2xx'])} / ${f(ac.errors)} / ${ac.latency.p50} | ` +
        `${f(c.requests.sent)} / ${f(c.requests.succeeded)} / ${kinds(c)} / ${c.latencyMs.p50} | ` +
        `${f(e.requests.sent)} / ${f(e.requests.succeeded)} / ${kinds(e)} / ${f(e.autocannon?.lost ?? 0)} / ${f(e.autocannon?.staleLatencies ?? 0)} / ${e.latencyMs.p50} |`,
    );
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
