/**
 * Host busy against a process the test starts that spins one core: whatever else the shared host
 * runs, the host's busy share over a span holds at least the spinner's own CPU over it (read from
 * its /proc/PID/stat), from /proc/stat and from the os.cpus() fallback alike.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  type HostCpuSample,
  hostBusyBetween,
  hostCpuSampleOf,
  sampleHostCpu,
} from '../src/host-busy.js';
import { parseCpuCount, readHostStat } from '../src/host-stat.js';
import { CLOCK_TICKS, readProcStat } from '../src/proc-stat.js';

const STAT_A = 'cpu  1000 0 200 8000 0 0 0 800\ncpu0 1 0 0 0\ncpu1 1 0 0 0\n';
// 1 s later on a 2-CPU VM: 100 busy, 40 idle, 60 stolen
const STAT_B = 'cpu  1080 0 220 8040 0 0 0 860\ncpu0 1 0 0 0\ncpu1 1 0 0 0\n';

describe('hostBusyBetween', () => {
  it('steal is reported apart from busy, both shares of all the time', () => {
    const busy = hostBusyBetween(hostCpuSampleOf(STAT_A), hostCpuSampleOf(STAT_B));
    assert.deepEqual(busy, { busyPct: 50, stealPct: 30, source: 'proc-stat' });
  });

  it('falls back to os.cpus() where there is no /proc/stat, and says so', () => {
    assert.equal(hostCpuSampleOf(undefined).source, 'os-cpus');
    assert.equal(hostCpuSampleOf('intr 1 2\n').source, 'os-cpus');
    assert.equal(hostCpuSampleOf(undefined).steal, 0);
  });

  it('samples of different sources compare as 0, never as a figure in mixed units', () => {
    const mixed = hostBusyBetween(hostCpuSampleOf(STAT_A), hostCpuSampleOf(undefined));
    assert.equal(mixed.busyPct, 0);
  });
});

const linux = readHostStat() !== undefined;

describe('host busy with a spinning process', { skip: !linux && 'needs /proc' }, () => {
  let spinner: ChildProcess;
  const cores = parseCpuCount(readHostStat() ?? '');

  before(async () => {
    // ends by itself after 20 s should the test die before `after`
    spinner = spawn(
      process.execPath,
      [
        '-e',
        'console.log("spinning"); const end = Date.now() + 20000; while (Date.now() < end) {}',
      ],
      { detached: true, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    await once(spinner.stdout!, 'data');
  });

  after(() => {
    if (spinner.pid) process.kill(-spinner.pid, 'SIGKILL');
  });

  /** The spinner's CPU over `ms` as a share of the whole host, and the host's busy over it. */
  async function span(sample: () => HostCpuSample, ms: number) {
    const ticks = () => {
      const stat = readProcStat(spinner.pid!);
      assert.ok(stat, 'the spinner is alive');
      return stat.utime + stat.stime;
    };
    const t0 = performance.now();
    const s0 = sample();
    const c0 = ticks();
    await sleep(ms);
    const c1 = ticks();
    const s1 = sample();
    const seconds = (performance.now() - t0) / 1000;
    const spinnerPct = (100 * (c1 - c0)) / (seconds * cores * CLOCK_TICKS);
    return { spinnerPct, host: hostBusyBetween(s0, s1) };
  }

  it('/proc/stat: busy holds the spinner, busy and steal stay within 100 %', async () => {
    const { spinnerPct, host } = await span(sampleHostCpu, 1000);
    assert.equal(host.source, 'proc-stat');
    // the spinner got a real share of the host, or the comparison below proves nothing
    assert.ok(spinnerPct > 25 / cores, `spinner ${spinnerPct} %`);
    // ticks are 10 ms apiece: allow a few of them
    assert.ok(host.busyPct >= spinnerPct - 5, `busy ${host.busyPct} %, spinner ${spinnerPct} %`);
    assert.ok(host.busyPct + host.stealPct <= 100.5, JSON.stringify(host));
  });

  it('os.cpus() fallback: busy holds the spinner too', async () => {
    const { spinnerPct, host } = await span(() => hostCpuSampleOf(undefined), 1000);
    assert.equal(host.source, 'os-cpus');
    assert.equal(host.stealPct, 0);
    assert.ok(spinnerPct > 25 / cores, `spinner ${spinnerPct} %`);
    assert.ok(host.busyPct >= spinnerPct - 5, `busy ${host.busyPct} %, spinner ${spinnerPct} %`);
  });
});
