/**
 * The seed's scale, rehearsed: runs the matrix with the `paper-rehearsal` profile (50 workers per
 * stack, up to 400 users) and measures what the suite costs at that shape, from outside it:
 *   - each stack's start (to ready) and stop times, its processes and RSS, from the set's files;
 *   - the orchestrator's own CPU per window: its main thread (the loop that starts stacks, reads
 *     balance, samples /proc; the driver's threads are left out) and every `ss` it runs, timed by
 *     a wrapper on PATH (`ss` counts each worker's connections once per window and the accept
 *     queue once per second: its cost grows with connections and processes);
 *   - the host's peak memory in use, open files and ephemeral ports over their levels before the run.
 * `--workers`, `--cycles` and `--stacks` are handed to the matrix, to push further (100 workers,
 * 1000 users) and see what fails first. Not a test: figures go into bench's README.
 * Run: npm run bench:rehearsal [-- --workers 100 --cycles 1000]
 */
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLOCK_TICKS, parseProcStat, readProcText } from '@stackbench/host-probe';
import { readResultSet } from '@stackbench/report';
import { parseScriptOptions } from './script-options.js';
import { bins, root } from './workspace.js';

const o = parseScriptOptions(
  'bench:rehearsal',
  "The paper profile's shape on this host: start/stop times, the orchestrator's CPU per window, peak memory, fds and ports.",
  {
    profile: {
      type: 'string',
      default: 'paper-rehearsal',
      valueName: 'NAME',
      description: 'profile to run',
    },
    workers: {
      type: 'integer',
      min: 1,
      valueName: 'N',
      description: 'workers per stack (the matrix --workers)',
    },
    cycles: {
      type: 'string',
      valueName: 'N:N',
      description: 'users per cell (the matrix --cycles)',
    },
    stacks: { type: 'string', valueName: 'A,B', description: 'stacks (the matrix --stacks)' },
    out: {
      type: 'string',
      valueName: 'DIR',
      description: 'where the set goes (default: a new temp dir, kept and printed)',
    },
  },
);

const SS = '/usr/bin/ss';
const TIME = '/usr/bin/time';

/** Host-wide readings that can be sampled often and cheaply. */
interface HostReading {
  memUsedMb: number;
  openFiles: number;
  ephemeralPorts: number;
}

const [portLo, portHi] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8')
  .trim()
  .split(/\s+/)
  .map(Number) as [number, number];

function memUsedMb(): number {
  const info = readFileSync('/proc/meminfo', 'utf8');
  const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+)`, 'm').exec(info)?.[1] ?? 0);
  return (kb('MemTotal') - kb('MemAvailable')) / 1024;
}

/**
 * Local ports in the ephemeral range held by a TCP socket in any state (TIME_WAIT included),
 * each counted once: a stack's accepted connections share its listening port.
 */
function ephemeralPorts(): number {
  const ports = new Set<number>();
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    if (!existsSync(file)) continue;
    for (const line of readFileSync(file, 'utf8').split('\n').slice(1)) {
      const local = line.trim().split(/\s+/)[1];
      if (!local) continue;
      const port = Number.parseInt(local.split(':').at(-1) ?? '', 16);
      if (port >= portLo && port <= portHi) ports.add(port);
    }
  }
  return ports.size;
}

function hostReading(): HostReading {
  const openFiles = Number(readFileSync('/proc/sys/fs/file-nr', 'utf8').split(/\s+/)[0]);
  return { memUsedMb: memUsedMb(), openFiles, ephemeralPorts: ephemeralPorts() };
}

/** CPU ms of one thread (the main thread: tid = pid), or of the whole process; null once gone. */
function cpuMs(pid: number, thread: boolean): number | null {
  const text = readProcText(thread ? `/proc/${pid}/task/${pid}/stat` : `/proc/${pid}/stat`);
  const stat = text === undefined ? undefined : parseProcStat(text);
  return stat ? ((stat.utime + stat.stime) * 1000) / CLOCK_TICKS : null;
}

const scratch = mkdtempSync(join(tmpdir(), 'stackbench-rehearsal-'));
const ssLog = join(scratch, 'ss.log');
writeFileSync(ssLog, '');
// each `ss` the orchestrator runs is timed; "$@" hands its arguments on unread by the shell
writeFileSync(
  join(scratch, 'ss'),
  `#!/bin/sh\nexec ${TIME} -a -o "${ssLog}" -f '%e %U %S' ${SS} "$@"\n`,
);
chmodSync(join(scratch, 'ss'), 0o755);
const out = o.out ?? join(scratch, 'results');

const args = ['--profile', o.profile, '--plain', '--out', out];
if (o.workers) args.push('--workers', String(o.workers));
if (o.cycles) args.push('--cycles', o.cycles);
if (o.stacks) args.push('--stacks', o.stacks);

const before = hostReading();
const peak = { ...before };
const started = Date.now();
const child = spawn(process.execPath, [bins.matrix, ...args], {
  cwd: root,
  detached: true,
  stdio: ['ignore', 'pipe', 'inherit'],
  env: { ...process.env, PATH: `${scratch}:${process.env.PATH ?? ''}` },
});
const pid = child.pid as number;
let stdout = '';
child.stdout.on('data', (chunk: Buffer) => {
  stdout += chunk.toString();
});
/** The orchestrator's CPU over time, to leave out what it spends after the rounds (report, charts). */
const cpu: { at: number; main: number; process: number }[] = [];
const timer = setInterval(() => {
  const r = hostReading();
  peak.memUsedMb = Math.max(peak.memUsedMb, r.memUsedMb);
  peak.openFiles = Math.max(peak.openFiles, r.openFiles);
  peak.ephemeralPorts = Math.max(peak.ephemeralPorts, r.ephemeralPorts);
  const main = cpuMs(pid, true);
  const all = cpuMs(pid, false);
  if (main !== null && all !== null) cpu.push({ at: Date.now(), main, process: all });
}, 250);
const stop = () => {
  try {
    process.kill(-pid, 'SIGINT');
  } catch {}
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
const exit: number | null = await new Promise((done) => child.on('exit', (code) => done(code)));
clearInterval(timer);
const minutes = (Date.now() - started) / 60_000;

const setDir = stdout.trim().split('\n').at(-1) ?? '';
const ssCalls = readFileSync(ssLog, 'utf8')
  .split('\n')
  .map((l) => l.trim().split(/\s+/).map(Number))
  .filter((f) => f.length === 3 && f.every(Number.isFinite))
  .map(([, user, sys]) => ((user as number) + (sys as number)) * 1000);
rmSync(join(scratch, 'ss'));

const mb = (x: number) => `${Math.round(x).toLocaleString('en')} MB`;
const s = (ms: number | null) => (ms === null ? '—' : `${(ms / 1000).toFixed(1)} s`);
console.log(`\nmatrix ${args.join(' ')}: exit ${exit}, ${minutes.toFixed(1)} min`);
if (setDir && existsSync(join(setDir, 'manifest.json'))) {
  const set = readResultSet(setDir);
  let windows = 0;
  let roundsEnd = 0;
  console.log(
    '\n| stack | workers | start to ready | stop | processes | RSS, all processes (max) | windows |',
  );
  console.log('|---|---:|---:|---:|---:|---:|---:|');
  for (const result of set.stacks) {
    for (const run of result.runs) {
      windows += run.windows.length;
      const l = run.lifecycle;
      const phases = [l.startMs, l.readyMs, l.verifyMs, l.warmupMs, l.loadMs, l.stopMs];
      const end = Date.parse(run.startedAt) + phases.reduce<number>((a, b) => a + (b ?? 0), 0);
      roundsEnd = Math.max(roundsEnd, end);
      const summary = run.server.summary;
      console.log(
        `| ${result.stack.name} | ${set.manifest.profile.settings.workers} | ${s(l.readyMs)} | ${s(l.stopMs)} | ${summary?.processesMax ?? '—'} | ${summary ? mb(summary.rssMbMax) : '—'} | ${run.windows.length}${run.status === 'failed' ? ` (failed: ${run.error})` : ''} |`,
      );
    }
  }
  const ssMs = ssCalls.reduce((a, b) => a + b, 0);
  const per = (x: number) => (windows ? (x / windows).toFixed(1) : '—');
  const inRounds = cpu.filter((c) => c.at <= roundsEnd).at(-1) ?? { main: 0, process: 0 };
  console.log(
    `\norchestrator, per window over the rounds (${windows} windows, stack starts and stops included): main thread ${per(inRounds.main)} ms CPU; ss ${per(ssMs)} ms CPU (${ssCalls.length} calls, max ${Math.max(0, ...ssCalls).toFixed(0)} ms); the whole process, the driver's threads included, ${per(inRounds.process)} ms.`,
  );
  console.log(`set: ${setDir}`);
} else {
  console.log(`no result set written${stdout.trim() ? `: ${stdout.trim()}` : ''}`);
}
console.log(
  `host, peak over the level before the run: memory in use +${mb(peak.memUsedMb - before.memUsedMb)} (peak ${mb(peak.memUsedMb)}), open files +${(peak.openFiles - before.openFiles).toLocaleString('en')} (peak ${peak.openFiles.toLocaleString('en')}), ephemeral ports +${peak.ephemeralPorts - before.ephemeralPorts} (peak ${peak.ephemeralPorts} of ${portHi - portLo + 1})`,
);
if (o.out) rmSync(scratch, { recursive: true, force: true });
else console.log(`kept: ${scratch}`);
process.exitCode = exit === 0 ? 0 : 1;
