/**
 * What host-probe's readers cost per call, on this host: CPU of this process (and of its reaped
 * children, for `ss`) per sample of 51 processes, per process-table walk, per listen-queue read.
 * Not a test: figures go into packages/host-probe/README.md.
 * Run: npm run bench:host-probe [-- --samples 200 --processes 50]
 */
import { spawn } from 'node:child_process';
import { availableParallelism, cpus, loadavg } from 'node:os';
import {
  cpuSecondsOf,
  readListenQueues,
  sampleProcesses,
  stackPids,
  UsageMeter,
} from '@stackbench/host-probe';
import { parseScriptOptions } from './script-options.js';

const { samples, processes } = parseScriptOptions(
  'bench:host-probe',
  "CPU cost of host-probe's readers per call (own and with reaped children).",
  {
    samples: { type: 'integer', min: 1, default: 200, description: 'calls per reader' },
    processes: {
      type: 'integer',
      min: 1,
      max: 1000,
      default: 50,
      description: 'idle child processes to sample',
    },
  },
);

const children = Array.from({ length: processes }, () =>
  spawn('sleep', ['600'], { stdio: 'ignore', detached: true }),
);
process.on('exit', () => {
  for (const child of children) {
    try {
      process.kill(-(child.pid as number), 'SIGKILL');
    } catch {}
  }
});
const pids = [process.pid, ...children.map((c) => c.pid as number)];
const cpuMs = () => (cpuSecondsOf(process.pid, { children: true }) ?? Number.NaN) * 1000;
// clock ticks are 10 ms: time many calls and divide
async function perCall(run: () => unknown): Promise<number> {
  const before = cpuMs();
  for (let i = 0; i < samples; i++) await run();
  return (cpuMs() - before) / samples;
}

console.log(
  `host: ${cpus()[0]?.model ?? 'unknown CPU'}, ${availableParallelism()} cores, Node ${process.version}, load average ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
);
const meter = new UsageMeter();
const rows: [string, number][] = [
  [`sampleProcesses, ${pids.length} pids`, await perCall(() => sampleProcesses(pids))],
  [`UsageMeter.sample, ${pids.length} pids`, await perCall(() => meter.sample(pids))],
  ['stackPids (a walk of /proc)', await perCall(() => stackPids([children[0]?.pid as number]))],
  ['readListenQueues (one ss, incl. the child)', await perCall(() => readListenQueues())],
];
console.log(`\n| reader (${samples} calls each) | CPU ms per call |\n|---|---|`);
for (const [name, ms] of rows) console.log(`| ${name} | ${ms.toFixed(3)} |`);
process.exit(0);
