/**
 * Proof of the open loop against ground truth (issue 18): a server that answers in 1 ms and
 * stalls every answer for 1 s once per 10 s. A user arriving at a constant rate meets the stall
 * with probability stall/period and then waits until its end; computed from the schedule, that
 * gives the true latency percentiles at that rate. The open loop must report them; the closed
 * loop at the same average rate (Funkload's users with think time) reports far less.
 * Server and driver run in their own processes, pinned to their own core when taskset exists.
 * Not a test: figures go into packages/loadgen/README.md.
 * Run: npm run bench:openloop [-- --rate R --duration S --connections N]
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import http from 'node:http';
import { availableParallelism, cpus, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import type { CycleResult, LoadResult } from '@stackbench/loadgen';
import { parseScriptOptions } from './script-options.js';

const STALL_MS = 1000;
const PERIOD_MS = 10_000;
/** Uncounted load before each window; the server's stalls sit in the middle of each period. */
const WARMUP_S = 1;
const SERVICE_MS = 1;

const values = parseScriptOptions(
  'bench:openloop',
  'The open loop against a server that stalls: coordinated omission, measured and corrected.',
  {
    rate: {
      type: 'number',
      min: 0,
      exclusiveMin: true,
      default: 500,
      description: 'requests per second',
    },
    duration: {
      type: 'number',
      min: 0,
      exclusiveMin: true,
      seconds: true,
      default: 10,
      description: `seconds, a multiple of ${PERIOD_MS / 1000}`,
    },
    connections: { type: 'integer', min: 1, default: 50, description: 'initial connections' },
    serve: {
      type: 'boolean',
      default: false,
      description: 'run as the stalling server (the bench starts itself so)',
    },
  },
);

/** Server mode (a child of the bench): 1 ms answers, a stall mid-period after the first request. */
function serve(): void {
  let anchor = -1;
  const stallEnd = (now: number): number => {
    if (anchor < 0 || now < anchor) return -1;
    const phase = (now - anchor) % PERIOD_MS;
    return phase < STALL_MS ? now - phase + STALL_MS : -1;
  };
  const server = http.createServer((_req, res) => {
    const now = performance.now();
    // The first request is the driver's preflight: its window starts a warm-up later, and each
    // stall falls in the middle of a period of the window, never across its edges.
    if (anchor < 0) anchor = now + WARMUP_S * 1000 + PERIOD_MS / 2 - STALL_MS / 2;
    const answer = () => {
      const until = stallEnd(performance.now());
      if (until > 0) {
        setTimeout(answer, until - performance.now());
        return;
      }
      res.writeHead(200, { 'content-type': 'text/plain', 'content-length': 2 });
      res.end('ok');
    };
    setTimeout(answer, SERVICE_MS);
  });
  server.keepAliveTimeout = 60_000;
  server.listen(0, '127.0.0.1', () => {
    process.stdout.write(`${JSON.stringify(server.address())}\n`);
  });
}

if (values.serve) {
  serve();
} else {
  await main();
}

async function main(): Promise<void> {
  const { rate, connections } = values;
  const durationS = values.duration;
  if (!((durationS * 1000) % PERIOD_MS === 0 && durationS > 0)) {
    console.error(`bench-openloop: --duration must be a multiple of ${PERIOD_MS / 1000} s`);
    process.exit(2);
  }
  const self = fileURLToPath(import.meta.url);
  const loadBin = fileURLToPath(
    new URL('../../packages/loadgen/bin/stackbench-load.js', import.meta.url),
  );
  const children = new Set<ChildProcess>();
  process.on('exit', () => {
    for (const child of children) {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  });
  process.on('SIGINT', () => process.exit(130));
  let pinned = false;
  try {
    execFileSync('sh', ['-c', 'command -v taskset'], { stdio: 'ignore' });
    pinned = availableParallelism() >= 2;
  } catch {
    // no taskset: unpinned
  }
  const pin = (core: number, argv: string[]) =>
    pinned ? ['taskset', '-c', String(core), ...argv] : argv;

  function start(argv: string[]): { child: ChildProcess; out: Promise<string> } {
    const [cmd, ...args] = argv;
    const child = spawn(cmd!, args, { detached: true, stdio: ['ignore', 'pipe', 'inherit'] });
    children.add(child);
    let out = '';
    child.stdout!.on('data', (c) => (out += c));
    const done = new Promise<string>((resolve, reject) =>
      child.on('close', (code) => {
        children.delete(child);
        if (code === 0 || code === null) resolve(out);
        else reject(new Error(`${argv.join(' ')} exited ${code}`));
      }),
    );
    return { child, out: done };
  }

  /** A fresh server per run, so its stalls are placed from that run's first request. */
  async function withServer(run: (url: string) => Promise<CycleResult>): Promise<CycleResult> {
    const { child } = start(pin(1, [process.execPath, self, '--serve']));
    const port = await new Promise<number>((resolve) =>
      child.stdout!.once('data', (c: Buffer) => resolve(JSON.parse(c.toString()).port)),
    );
    try {
      return await run(`http://127.0.0.1:${port}/`);
    } finally {
      process.kill(-child.pid!, 'SIGKILL');
    }
  }

  async function driver(args: string[]): Promise<CycleResult> {
    return withServer(async (url) => {
      const common = ['-d', String(durationS), '--warmup', String(WARMUP_S), '--timeout', '5'];
      const { out } = start(pin(0, [process.execPath, loadBin, ...common, ...args, url]));
      return (JSON.parse(await out) as LoadResult).cycles[0]!;
    });
  }

  console.log(
    `# bench-openloop ${new Date().toISOString()}: ${rate} requests/s, ${durationS} s windows, ` +
      `server 1 ms with a ${STALL_MS} ms stall every ${PERIOD_MS / 1000} s; ` +
      `${cpus()[0]?.model ?? '?'} ×${availableParallelism()}, node ${process.version}, ` +
      `${pinned ? 'server on core 1, driver on core 0' : 'unpinned'}, load average ${loadavg()[0]!.toFixed(1)}`,
  );
  const think = connections / rate - SERVICE_MS / 1000;
  const runs: [string, string[]][] = [
    ['closed loop, wrk-style: 10 users, no think time', ['-c', '10']],
    [
      `closed loop: ${connections} users, think ${think.toFixed(3)} s (≈ ${rate}/s)`,
      ['-c', String(connections), '--sleep-time', think.toFixed(4)],
    ],
    [
      `open loop, uniform, ${connections} connections (pool grows)`,
      ['-R', String(rate), '--connections', String(connections)],
    ],
    [
      `open loop, Poisson, ${connections} connections (pool grows)`,
      ['-R', String(rate), '--connections', String(connections), '--arrivals', 'poisson'],
    ],
    [
      `open loop, uniform, pool capped at ${connections}`,
      [
        '-R',
        String(rate),
        '--connections',
        String(connections),
        '--max-connections',
        String(connections),
      ],
    ],
  ];
  const results: [string, CycleResult][] = [];
  for (const [name, args] of runs) {
    results.push([name, await driver(args)]);
    console.error(`bench-openloop: ${name} done (load average ${loadavg()[0]!.toFixed(1)})`);
  }

  // Ground truth: users arriving every 1/rate over whole periods, each meeting the server's
  // 1 ms, plus the rest of the stall when it arrives during one. The service time is the one
  // the uniform open loop measured (1 ms plus loopback and parsing).
  const service = results[2]![1].openLoop!.serviceTimeMs.p50;
  const n = Math.round(rate * durationS);
  const truth = Array.from({ length: n }, (_, k) => {
    const phase = ((k * 1000) / rate) % PERIOD_MS;
    const stalled = phase >= PERIOD_MS / 2 - STALL_MS / 2 && phase < PERIOD_MS / 2 + STALL_MS / 2;
    return (stalled ? PERIOD_MS / 2 + STALL_MS / 2 - phase : 0) + service;
  }).sort((a, b) => a - b);
  const at = (p: number) => truth[Math.min(n - 1, Math.ceil((p / 100) * n) - 1)]!;
  const f = (v: number | undefined) => (v === undefined ? '' : v.toFixed(1));
  console.log(
    '\n| run | offered / achieved req/s | samples | p50 ms | p90 ms | p95 ms | p99 ms | p99.9 ms | max ms | service p99 ms | delayed | connections peak |',
  );
  console.log('|---|---|---|---|---|---|---|---|---|---|---|---|');
  console.log(
    `| **truth** (from the schedule: ${rate}/s, ${STALL_MS} ms stall per ${PERIOD_MS / 1000} s, service ${service} ms) | ${rate} | ${n} | ${f(at(50))} | ${f(at(90))} | ${f(at(95))} | ${f(at(99))} | ${f(at(99.9))} | ${f(truth[n - 1])} | | | |`,
  );
  for (const [name, c] of results) {
    const l = c.latencyMs;
    const o = c.openLoop;
    console.log(
      `| ${name} | ${o ? `${o.offeredRps} / ${o.achievedRps}` : `(closed) / ${c.rps.total}`} | ${l.count} | ${f(l.p50)} | ${f(l.p90)} | ${f(l.p95)} | ${f(l.p99)} | ${f(l.p999)} | ${f(l.max)} | ${f(o?.serviceTimeMs.p99)} | ${o?.delayed ?? ''} | ${o ? `${o.connections.peak} / ${o.connections.limit}` : ''} |`,
    );
  }
}
