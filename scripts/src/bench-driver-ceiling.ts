/**
 * The driver's ceiling against wrk's, per core: both drive the same null server (loadgen's
 * `startNullServer`, the server of `stackbench-load --ceiling`) with the same threads and
 * connections, closed loop, keep-alive, the driver pinned to its first `threads` cores and the
 * null server to the others (taskset), in interleaved rounds, best of each (other work on a
 * shared host can only lower a maximum). Not a test: figures go into packages/loadgen/README.md.
 * Run: npm run bench:driver [-- --threads N --connections C --duration S --rounds N]
 */
import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CLOCK_TICKS, hostBusySince, readProcStat, sampleHostCpu } from '@stackbench/host-probe';
import { type LoadResult, type NullServer, startNullServer } from '@stackbench/loadgen';
import { parseScriptOptions } from './script-options.js';

const options = parseScriptOptions(
  'bench:driver',
  "The load driver's requests/s per core against wrk's, on the same null server.",
  {
    threads: {
      type: 'integer',
      min: 1,
      max: 64,
      default: 1,
      description: 'driver threads (and cores)',
    },
    connections: {
      type: 'integer',
      min: 1,
      description: 'connections in all (default 64 per thread)',
    },
    duration: {
      type: 'number',
      min: 0,
      exclusiveMin: true,
      seconds: true,
      default: 5,
      description: 'measured seconds per run',
    },
    rounds: { type: 'integer', min: 1, default: 3, description: 'interleaved rounds' },
  },
);
const { threads, rounds } = options;
const connections = options.connections ?? 64 * threads;
const durationS = options.duration;
const cores = availableParallelism();
if (threads >= cores) {
  process.stderr.write(
    `bench:driver: --threads ${threads} leaves no core of ${cores} for the null server; use at most ${cores - 1}\n`,
  );
  process.exit(2);
}
const driverCpus = `0-${threads - 1}`;
const serverCpus = `${threads}-${cores - 1}`;
const loadBin = fileURLToPath(
  new URL('../../packages/loadgen/bin/stackbench-load.js', import.meta.url),
);
const work = mkdtempSync(join(tmpdir(), 'bench-driver-'));
let server: NullServer | null = null;
process.on('exit', () => rmSync(work, { recursive: true, force: true }));
process.on('SIGINT', () => {
  void server?.close().finally(() => process.exit(130));
});

const run = (argv: string[]) =>
  execFileSync(argv[0]!, argv.slice(1), { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

/**
 * Runs a driver to its end, reading its process's CPU (all threads) from /proc every 50 ms: the
 * last reading before it exits, so a few ms of CPU at most are missed.
 */
async function sampled(argv: string[]): Promise<{ stdout: string; cpuPct: number }> {
  // stderr: wrk's errors matter, our driver's cycle table is in its JSON already
  const child = spawn(argv[0]!, argv.slice(1), { stdio: ['ignore', 'pipe', 'ignore'] });
  let stdout = '';
  child.stdout.on('data', (c: Buffer) => {
    stdout += c.toString();
  });
  const t0 = performance.now();
  let cpuS = 0;
  let wallS = 0;
  const timer = setInterval(() => {
    const st = child.pid ? readProcStat(child.pid) : undefined;
    if (!st) return;
    cpuS = (st.utime + st.stime) / CLOCK_TICKS;
    wallS = (performance.now() - t0) / 1000;
  }, 50);
  const [code] = (await once(child, 'exit')) as [number | null];
  clearInterval(timer);
  if (code !== 0) throw new Error(`${argv.join(' ')} exited with ${code}`);
  return { stdout, cpuPct: wallS > 0 ? (100 * cpuS) / wallS : 0 };
}

/** wrk's rate and its process's CPU over its run (its start is a few ms of it). */
async function wrk(url: string): Promise<{ rps: number; cpuPct: number }> {
  const { stdout, cpuPct } = await sampled([
    'taskset',
    '-c',
    driverCpus,
    'wrk',
    `-t${threads}`,
    `-c${connections}`,
    `-d${Math.round(durationS)}s`,
    url,
  ]);
  return { rps: Number(/Requests\/sec:\s+([\d.]+)/.exec(stdout)?.[1]), cpuPct };
}

/** Ours: its CPU over the measured part only, as the driver records it. */
async function ours(url: string, round: number): Promise<LoadResult['cycles'][number]> {
  const out = join(work, `ours-${round}.json`);
  await sampled([
    'taskset',
    '-c',
    driverCpus,
    process.execPath,
    loadBin,
    '-c',
    String(connections),
    '-t',
    String(threads),
    '-d',
    String(durationS),
    '--warmup',
    '1',
    '-o',
    out,
    url,
  ]);
  return (JSON.parse(readFileSync(out, 'utf8')) as LoadResult).cycles[0]!;
}

/** The null server's CPU seconds so far: near 100 % of its cores, the figures are its, not the drivers'. */
const serverCpuS = () =>
  (server?.pids ?? []).reduce((n, pid) => {
    const st = readProcStat(pid);
    return n + (st ? (st.utime + st.stime) / CLOCK_TICKS : 0);
  }, 0);

/** `f()` with the null server's CPU over it, % of one core. */
async function withServerCpu<T>(f: () => Promise<T>): Promise<{ value: T; serverPct: number }> {
  const cpu0 = serverCpuS();
  const t0 = performance.now();
  const value = await f();
  return {
    value,
    serverPct: Math.round((100 * (serverCpuS() - cpu0)) / ((performance.now() - t0) / 1000)),
  };
}

const perCore = (rps: number) => Math.round(rps / threads);
const int = (v: number) => Math.round(v).toLocaleString('en-US');

try {
  server = await startNullServer(Math.max(1, cores - threads));
  for (const pid of server.pids) run(['taskset', '-a', '-cp', serverCpus, String(pid)]);
  const before = sampleHostCpu();
  const load0 = loadavg()[0]!.toFixed(1);
  process.stdout.write(
    `host: ${cpus()[0]?.model} (${cores} cores), Node ${process.version}; driver on CPUs ${driverCpus}, null server (${server.pids.length} process(es)) on ${serverCpus}; ${threads} thread(s), ${connections} connections, ${durationS} s per run, ${rounds} rounds; load average ${load0}\n`,
  );
  // best of the rounds: requests/s per pinned core, and per core-second of the driver's own CPU
  // (on a busy host a pinned driver gets only part of its core; that figure says what a whole
  // core would give)
  const best = { wrk: 0, ours: 0, wrkPerCpu: 0, oursPerCpu: 0 };
  const perCpu = (rps: number, cpuPct: number) => (cpuPct > 0 ? rps / (cpuPct / 100) : 0);
  for (let r = 1; r <= rounds; r++) {
    const url = server.url;
    const { value: w, serverPct: ws } = await withServerCpu(() => wrk(url));
    const { value: o, serverPct: os } = await withServerCpu(() => ours(url, r));
    const wPer = perCpu(w.rps, w.cpuPct);
    const oPer = perCpu(o.rps.total, o.driverCpu.percent);
    best.wrk = Math.max(best.wrk, w.rps);
    best.ours = Math.max(best.ours, o.rps.total);
    best.wrkPerCpu = Math.max(best.wrkPerCpu, wPer);
    best.oursPerCpu = Math.max(best.oursPerCpu, oPer);
    process.stdout.write(
      `round ${r}: wrk ${int(w.rps)} req/s at ${w.cpuPct.toFixed(0)} % CPU (${int(wPer)} per CPU-second; null server ${ws} % of a core) | stackbench-load ${int(o.rps.total)} req/s at ${o.driverCpu.percent} % CPU (${int(oPer)} per CPU-second; event loop ${Math.round(o.driverCpu.maxEventLoopUtilization * 100)} %; null server ${os} % of a core; host CPU ${o.hostCpuBusyPercent} % busy)\n`,
    );
  }
  const busy = hostBusySince(before);
  process.stdout.write(
    `\nbest of ${rounds}, per driver core: wrk ${int(perCore(best.wrk))} req/s, stackbench-load ${int(perCore(best.ours))} req/s: ${(best.ours / best.wrk).toFixed(2)}× wrk; per CPU-second of the driver: wrk ${int(best.wrkPerCpu / threads)}, stackbench-load ${int(best.oursPerCpu / threads)}: ${(best.oursPerCpu / best.wrkPerCpu).toFixed(2)}× wrk; load average ${load0} → ${loadavg()[0]!.toFixed(1)}, host CPU ${busy.busyPct.toFixed(1)} % busy over the runs\n`,
  );
} finally {
  await server?.close();
}
