/**
 * The adapter's benchmark (not a test; figures go into packages/adapter/README.md).
 *   1. hello app: adapter `node` backend vs a bare http.createServer(helloApp), each pinned to the
 *      same core, wrk pinned to another: requests/s ratio (target ≥ 0.97).
 *   2. bench app (seed parameters unless overridden by STACKBENCH_* variables): `node` vs
 *      `threads` (4 threads × 16 and × 1 requests per thread) at a few concurrency levels: RPS, p95.
 * Run: npm run bench:adapter [-- --duration 8 --rounds 3 --server-cpus 0 --load-cpus 1 --part all]
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { cpuSecondsOf } from '@stackbench/host-probe';
import { parseScriptOptions, secondsOption } from './script-options.js';
import { bins, root } from './workspace.js';

const options = parseScriptOptions(
  'bench:adapter',
  'The adapter against a bare node:http server (hello app), then its backends on the bench app, with wrk.',
  {
    duration: secondsOption(8, 'seconds per measurement'),
    rounds: { type: 'integer', min: 1, default: 3, description: 'A/B rounds' },
    serverCpus: {
      type: 'string',
      default: '0',
      valueName: 'CPUS',
      description: 'taskset CPU list of the server',
    },
    loadCpus: {
      type: 'string',
      default: '1',
      valueName: 'CPUS',
      description: 'taskset CPU list of wrk',
    },
    connections: {
      type: 'string',
      default: '10,50,100',
      valueName: 'N,N,...',
      description: 'wrk connection levels',
    },
    part: {
      type: 'string',
      choices: ['all', 'hello', 'bench'],
      default: 'all',
      description: 'which part to run',
    },
  },
);
const { duration, rounds, serverCpus, loadCpus, part } = options;
const levels = options.connections.split(',').map(Number);
if (levels.some((n) => !Number.isInteger(n) || n < 1)) {
  console.error(
    `bench:adapter: --connections (${options.connections}) must be whole numbers ≥ 1, comma-separated`,
  );
  process.exit(2);
}

const scratch = mkdtempSync(join(tmpdir(), 'bench-adapter-'));
const luaPath = join(scratch, 'report.lua');
// wrk prints p95 only through its Lua API.
writeFileSync(
  luaPath,
  `done = function(s, latency, r)
  local e = s.errors
  io.write(string.format("RESULT %d %d %d %d %d %d\\n", s.requests, s.duration,
    e.connect + e.read + e.write + e.status + e.timeout, latency:percentile(50), latency:percentile(95), latency:percentile(99)))
end
`,
);

const running = new Set<ChildProcess>();
function killAll(): void {
  for (const child of running) {
    try {
      process.kill(-(child.pid as number), 'SIGKILL');
    } catch {
      // gone
    }
  }
  running.clear();
}
process.on('exit', () => {
  killAll();
  rmSync(scratch, { recursive: true, force: true });
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => process.exit(130));

/** Starts a server pinned to the server CPUs; resolves with its port once it says so. */
function startServer(
  argv: string[],
  env: NodeJS.ProcessEnv,
  portPattern: RegExp,
): Promise<{ port: number; child: ChildProcess }> {
  const child = spawn('taskset', ['-c', serverCpus, process.execPath, ...argv], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  running.add(child);
  let output = '';
  return new Promise((resolvePort, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = portPattern.exec(output);
      if (match) resolvePort({ port: Number(match[1]), child });
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) =>
      reject(new Error(`server exited (${code}) before listening:\n${output}`)),
    );
  });
}

function stopServer(child: ChildProcess): Promise<void> {
  return new Promise((done) => {
    if (child.exitCode !== null || child.signalCode !== null) return done();
    child.once('exit', () => done());
    try {
      process.kill(-(child.pid as number), 'SIGKILL');
    } catch {
      done();
    }
    running.delete(child);
  });
}

interface Load {
  rps: number;
  /** Server CPU time (user + system, all threads) per request, in microseconds. */
  cpuUsPerRequest: number;
  p50ms: number;
  p95ms: number;
  p99ms: number;
  errors: number;
}

/** utime + stime of a process, in seconds, from /proc/PID/stat. */
const cpuSeconds = (pid: number) => cpuSecondsOf(pid) ?? Number.NaN;

function wrk(
  port: number,
  connections: number,
  seconds: number,
): Promise<Omit<Load, 'cpuUsPerRequest'> & { requests: number }> {
  const args = [
    '-c',
    loadCpus,
    'wrk',
    '-t1',
    `-c${connections}`,
    `-d${seconds}s`,
    '--timeout',
    '30s',
    '-s',
    luaPath,
  ];
  return new Promise((done, fail) => {
    execFile(
      'taskset',
      [...args, `http://127.0.0.1:${port}/`],
      { timeout: (seconds + 40) * 1000 },
      (error, stdout) => {
        if (error) return fail(error);
        const match = /RESULT (\d+) (\d+) (\d+) (\d+) (\d+) (\d+)/.exec(stdout);
        if (!match) return fail(new Error(`no wrk result in:\n${stdout}`));
        const [requests, micros, errors, p50, p95, p99] = match.slice(1).map(Number) as number[];
        done({
          requests: requests as number,
          rps: (requests as number) / ((micros as number) / 1e6),
          p50ms: (p50 as number) / 1000,
          p95ms: (p95 as number) / 1000,
          p99ms: (p99 as number) / 1000,
          errors: errors as number,
        });
      },
    );
  });
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
};

const bareServer = `
import { createServer } from 'node:http';
import { helloApp } from '@stackbench/app';
const server = createServer(helloApp);
server.listen({ host: '127.0.0.1', port: 0, backlog: 2048 }, () => console.log('port ' + server.address().port));`;

async function measure(
  argv: string[],
  env: NodeJS.ProcessEnv,
  pattern: RegExp,
  connections: number,
): Promise<Load> {
  const { port, child } = await startServer(argv, env, pattern);
  try {
    await wrk(port, connections, 1); // warm-up: JIT, thread pool, connections
    const cpuBefore = cpuSeconds(child.pid as number);
    const load = await wrk(port, connections, duration);
    const cpu = cpuSeconds(child.pid as number) - cpuBefore;
    return { ...load, cpuUsPerRequest: (cpu * 1e6) / load.requests };
  } finally {
    await stopServer(child);
  }
}

const adapterPort = /listening on 127\.0\.0\.1:(\d+)/;
const adapterArgs = (backend: string, app: string, extra: string[] = []) => [
  bins.adapter,
  '--port',
  '0',
  '--backend',
  backend,
  ...extra,
  app,
];

console.log(
  `host: ${cpus()[0]?.model ?? 'unknown CPU'}, ${availableParallelism()} cores, Node ${process.version}`,
);
console.log(
  `server on CPU ${serverCpus}, wrk (1 thread) on CPU ${loadCpus}; ${duration} s per run after a 1 s warm-up\n`,
);

if (part === 'all' || part === 'hello') {
  const connections = 50;
  const servers: [string, string[], RegExp][] = [
    ['bare http.createServer(helloApp)', ['--input-type=module', '-e', bareServer], /port (\d+)/],
    ['adapter --backend node', adapterArgs('node', '@stackbench/app:helloApp'), adapterPort],
    [
      'adapter --backend node --catch-late-faults',
      adapterArgs('node', '@stackbench/app:helloApp', ['--catch-late-faults']),
      adapterPort,
    ],
  ];
  const runs: Load[][] = servers.map(() => []);
  for (let round = 0; round < rounds; round++) {
    // Alternate, so drift on a shared host hits every server alike.
    for (const [i, [, argv, pattern]] of servers.entries()) {
      runs[i]?.push(await measure(argv, {}, pattern, connections));
    }
  }
  const rps = (xs: Load[]) => median(xs.map((x) => x.rps));
  const cpu = (xs: Load[]) => median(xs.map((x) => x.cpuUsPerRequest));
  const list = (xs: Load[], key: 'rps' | 'cpuUsPerRequest') =>
    xs.map((x) => x[key].toFixed(key === 'rps' ? 0 : 1)).join(', ');
  const bare = runs[0] as Load[];
  console.log(`hello app, ${connections} connections, ${rounds} alternating rounds (medians):\n`);
  console.log(
    '| server | requests/s (runs) | median req/s | ratio to bare | server CPU µs/request (runs) | median | ratio (bare/this) |',
  );
  console.log('|---|---|---|---|---|---|---|');
  for (const [i, [name]] of servers.entries()) {
    const xs = runs[i] as Load[];
    console.log(
      `| ${name} | ${list(xs, 'rps')} | ${rps(xs).toFixed(0)} | ${(rps(xs) / rps(bare)).toFixed(3)} | ${list(xs, 'cpuUsPerRequest')} | ${cpu(xs).toFixed(1)} | ${(cpu(bare) / cpu(xs)).toFixed(3)} |`,
    );
  }
  console.log('');
}

if (part === 'all' || part === 'bench') {
  const variants: [string, string[]][] = [
    ['node', adaptersFor('node')],
    ['threads 4×16', adaptersFor('threads', ['--threads', '4', '--thread-concurrency', '16'])],
    ['threads 4×1', adaptersFor('threads', ['--threads', '4', '--thread-concurrency', '1'])],
  ];
  const params = [
    'STACKBENCH_CPU_ITERATIONS',
    'STACKBENCH_SLEEP_MS',
    'STACKBENCH_WRITES',
    'STACKBENCH_WRITE_MODE',
  ]
    .map((name) => `${name}=${process.env[name] ?? '(default)'}`)
    .join(' ');
  console.log(`bench app (${params}):\n`);
  console.log(
    '| backend | connections | requests/s | p50 ms | p95 ms | p99 ms | errors | server CPU ms/request |',
  );
  console.log('|---|---|---|---|---|---|---|---|');
  for (const connections of levels) {
    for (const [name, argv] of variants) {
      const r = await measure(argv, {}, adapterPort, connections);
      console.log(
        `| ${name} | ${connections} | ${r.rps.toFixed(1)} | ${r.p50ms.toFixed(1)} | ${r.p95ms.toFixed(1)} | ${r.p99ms.toFixed(1)} | ${r.errors} | ${(r.cpuUsPerRequest / 1000).toFixed(2)} |`,
      );
    }
  }
}

function adaptersFor(backend: string, extra: string[] = []): string[] {
  return adapterArgs(backend, '@stackbench/app:benchApp', extra);
}
