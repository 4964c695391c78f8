/**
 * What the prefork master's scheduling costs: requests/s of the hello app under
 * stackbench-prefork --schedule rr (the master accepts and hands each connection over IPC) and
 * --schedule none (workers accept on the shared socket), and under the supervisor (when it is
 * built) with the same worker count, each with keep-alive connections and with a new connection
 * per request (the load driver's --connection close), where the round-robin master's cost shows.
 * Stacks are alternated round by round to spread host noise. Not a test: figures go into
 * packages/prefork/README.md.
 * Run: npm run bench:prefork [-- --workers 2 --users 32 --seconds 5 --rounds 2]
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '@stackbench/host-probe';
import { DEFAULT_LOAD_OPTIONS, type LoadResult, runLoad } from '@stackbench/loadgen';
import { parseScriptOptions, secondsOption } from './script-options.js';
import { bins, root } from './workspace.js';

const { workers, users, seconds, rounds } = parseScriptOptions(
  'bench:prefork',
  'The prefork master against node:cluster alone: requests/s and latency, alternated A/B.',
  {
    workers: { type: 'integer', min: 1, default: 2, description: 'workers' },
    users: { type: 'integer', min: 1, default: 32, description: 'concurrent users' },
    seconds: secondsOption(5, 'seconds per measurement'),
    rounds: { type: 'integer', min: 1, default: 2, description: 'A/B rounds' },
  },
);

const supervisorBuilt = existsSync(join(root, 'packages/supervisor/dist/src/bin/supervisor.js'));
const app = '@stackbench/app:helloApp';
const dir = mkdtempSync(join(tmpdir(), 'bench-prefork-'));
const running = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of running) killGroup(child);
  rmSync(dir, { recursive: true, force: true });
});
process.on('SIGINT', () => process.exit(130));

function killGroup(child: ChildProcess): void {
  try {
    process.kill(-(child.pid as number), 'SIGKILL');
  } catch {}
}

/** Resolves once `count` lines of the child's stderr match `pattern`. */
function waitForLines(child: ChildProcess, pattern: RegExp, count: number): Promise<void> {
  return new Promise((done, fail) => {
    let seen = 0;
    let text = '';
    const timer = setTimeout(() => fail(new Error(`not ready in 60 s:\n${text}`)), 60_000);
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      text += chunk;
      seen = text.split('\n').filter((line) => pattern.test(line)).length;
      if (seen >= count) {
        clearTimeout(timer);
        done();
      }
    });
    child.once('exit', () => fail(new Error(`exited before ready:\n${text}`)));
  });
}

interface Stack {
  name: string;
  start(port: number): Promise<ChildProcess>;
}

const prefork = (schedule: 'rr' | 'none'): Stack => ({
  name: `prefork --schedule ${schedule}`,
  async start(port) {
    const child = spawn(
      process.execPath,
      [
        bins.prefork,
        '-w',
        String(workers),
        '-b',
        `127.0.0.1:${port}`,
        '--schedule',
        schedule,
        '--keep-alive',
        '5',
        app,
      ],
      { detached: true, stdio: ['ignore', 'ignore', 'pipe'] },
    );
    running.add(child);
    await waitForLines(child, /Worker \d+ listening at/, workers);
    return child;
  },
});

const supervisor: Stack = {
  name: 'supervisor + adapters',
  async start(port) {
    const config = join(dir, `supervisor-${port}.ini`);
    writeFileSync(
      config,
      `[supervisor]\nstats_interval = 1\n\n[socket:web]\nhost = 127.0.0.1\nport = ${port}\nbacklog = 2048\n\n[watcher:web]\ncmd = ${process.execPath} ${bins.adapter}\nargs = --fd $(circus.sockets.web) --backend node --keep-alive-timeout 5 ${app}\nnumprocesses = ${workers}\nuse_sockets = true\nreadiness = ipc\n`,
    );
    const child = spawn(process.execPath, [bins.supervisor, config], {
      detached: true,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    running.add(child);
    // No log line to wait for: poll until the socket answers, then give the workers a moment.
    for (let i = 0; i < 600; i++) {
      const ok = await fetch(`http://127.0.0.1:${port}/`).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    await new Promise((r) => setTimeout(r, 1000));
    return child;
  },
};

async function stop(child: ChildProcess): Promise<void> {
  const exited = new Promise((done) => child.once('exit', done));
  process.kill(child.pid as number, 'SIGTERM');
  const timer = setTimeout(() => killGroup(child), 10_000);
  await exited;
  clearTimeout(timer);
  killGroup(child);
  running.delete(child);
}

async function measure(stack: Stack, connection: 'keep-alive' | 'close'): Promise<LoadResult> {
  const port = await freePort();
  const child = await stack.start(port);
  try {
    return await runLoad({
      ...DEFAULT_LOAD_OPTIONS,
      url: `http://127.0.0.1:${port}/`,
      cycles: [users],
      durationS: seconds,
      warmupS: 1,
      connection,
    });
  } finally {
    await stop(child);
  }
}

const stacks = [prefork('rr'), prefork('none'), ...(supervisorBuilt ? [supervisor] : [])];
const results = new Map<string, { rps: number[]; failed: number; hostCpu: number[] }>();
console.log(
  `host: ${cpus()[0]?.model ?? 'unknown CPU'}, ${availableParallelism()} cores, Node ${process.version}; ` +
    `${workers} workers, ${users} users, ${seconds} s × ${rounds} rounds, hello app, load driver in this process`,
);
for (let round = 0; round < rounds; round++) {
  for (const connection of ['keep-alive', 'close'] as const) {
    // Alternate the order each round so no stack always runs first.
    const order = round % 2 === 0 ? stacks : [...stacks].reverse();
    for (const stack of order) {
      const result = await measure(stack, connection);
      const cycle = result.cycles[0];
      if (!cycle) throw new Error(`${stack.name}: no cycle result`);
      const key = `${stack.name}|${connection}`;
      const entry = results.get(key) ?? { rps: [], failed: 0, hostCpu: [] };
      entry.rps.push(cycle.rps.successful);
      entry.failed += cycle.requests.failed;
      entry.hostCpu.push(cycle.hostCpuBusyPercent);
      results.set(key, entry);
      console.error(`round ${round + 1} ${key}: ${cycle.rps.successful.toFixed(0)} req/s`);
    }
  }
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
console.log('\n| stack | connection | req/s (mean) | req/s per round | failed | host CPU % |');
console.log('|---|---|---|---|---|---|');
for (const [key, entry] of results) {
  const [name, connection] = key.split('|');
  console.log(
    `| ${name} | ${connection} | ${mean(entry.rps).toFixed(0)} | ${entry.rps.map((r) => r.toFixed(0)).join(', ')} | ${entry.failed} | ${mean(entry.hostCpu).toFixed(0)} |`,
  );
}
if (!supervisorBuilt) console.log('\n(supervisor not built: its rows are missing)');
