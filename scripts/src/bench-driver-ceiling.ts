/**
 * The driver's ceiling against wrk's, per core: both drive the same null server (loadgen's
 * `startNullServer`, the server of `stackbench-load --ceiling`) with the same threads and
 * connections, closed loop, keep-alive, the driver pinned to its first `threads` cores and the
 * null server to the others (taskset), in interleaved rounds, best of each (other work on a
 * shared host can only lower a maximum). Not a test: figures go into packages/loadgen/README.md.
 * Run: npm run bench:driver [-- --threads N --connections C --duration S --rounds N]
 */
import { execFileSync } from 'node:child_process';
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

function wrk(url: string): number {
  const text = run([
    'taskset',
    '-c',
    driverCpus,
    'wrk',
    `-t${threads}`,
    `-c${connections}`,
    `-d${Math.round(durationS)}s`,
    url,
  ]);
  return Number(/Requests\/sec:\s+([\d.]+)/.exec(text)?.[1]);
}

function ours(url: string, round: number): LoadResult['cycles'][number] {
  const out = join(work, `ours-${round}.json`);
  run([
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
function withServerCpu<T>(f: () => T): { value: T; serverPct: number } {
  const cpu0 = serverCpuS();
  const t0 = performance.now();
  const value = f();
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
  const best = { wrk: 0, ours: 0 };
  let oursBest: LoadResult['cycles'][number] | null = null;
  for (let r = 1; r <= rounds; r++) {
    const url = server.url;
    const { value: w, serverPct: ws } = withServerCpu(() => wrk(url));
    const { value: o, serverPct: os } = withServerCpu(() => ours(url, r));
    best.wrk = Math.max(best.wrk, w);
    if (o.rps.total > best.ours) {
      best.ours = o.rps.total;
      oursBest = o;
    }
    process.stdout.write(
      `round ${r}: wrk ${int(w)} req/s (null server ${ws} % of a core), stackbench-load ${int(o.rps.total)} req/s (null server ${os} % of a core; ${(o.rps.total / w).toFixed(2)}× wrk; driver CPU ${o.driverCpu.percent} %, event loop ${Math.round(o.driverCpu.maxEventLoopUtilization * 100)} %, host CPU ${o.hostCpuBusyPercent} % busy)\n`,
    );
  }
  const busy = hostBusySince(before);
  process.stdout.write(
    `\nbest of ${rounds}: wrk ${int(perCore(best.wrk))} req/s per core, stackbench-load ${int(perCore(best.ours))} req/s per core: ${(best.ours / best.wrk).toFixed(2)}× wrk (driver CPU ${oursBest?.driverCpu.percent} %, event loop ${Math.round((oursBest?.driverCpu.maxEventLoopUtilization ?? 0) * 100)} %); load average ${load0} → ${loadavg()[0]!.toFixed(1)}, host CPU ${busy.busyPct.toFixed(1)} % busy over the runs\n`,
  );
} finally {
  await server?.close();
}
