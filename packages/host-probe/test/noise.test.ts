/**
 * Noise readings against processes the test starts with a known CPU use: a burner at 50 % of one
 * core (10 ms busy, 10 ms asleep), a child that burns 300 ms of CPU (by its own clock, so the
 * amount holds on a loaded host), and this process spinning as the driver. Bounds are wide: the
 * host is shared and noisy; only facts that hold under load are asserted.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseCpuCount, readHostStat } from '../src/host-stat.js';
import { disturbedBy, type NoiseReading, startNoiseReadings } from '../src/noise.js';

const cores = parseCpuCount(readHostStat() ?? '');
/** The burner's share of the whole host, %. */
const burnerShare = 50 / cores;

/** Ends by itself after 10 s; says "burning" once its first busy slice is done. */
const BURNER = `const end = Date.now() + 10000;
let said = false;
(function cycle() {
  const until = Date.now() + 10;
  while (Date.now() < until) {}
  if (!said) { said = true; console.log('burning'); }
  if (Date.now() < end) setTimeout(cycle, 10); else process.exit(0);
})();`;

/** Burns 300 ms of its own CPU, says "burnt", then idles until it ends after 10 s. */
const BURN_300MS = `const used = () => { const u = process.cpuUsage(); return u.user + u.system; };
while (used() < 300000) {}
console.log('burnt');
setTimeout(() => {}, 10000);`;

function node(source: string): ChildProcess {
  return spawn(process.execPath, ['-e', source], {
    detached: true,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
}

/** Waits (at most 15 s) for the child's first output. */
async function said(child: ChildProcess, word: string): Promise<void> {
  const [chunk] = (await once(child.stdout!, 'data', { signal: AbortSignal.timeout(15_000) })) as [
    Buffer,
  ];
  assert.equal(chunk.toString().trim(), word);
}

function killGroup(child: ChildProcess): void {
  try {
    process.kill(-(child.pid as number), 'SIGKILL');
  } catch {
    // ended by itself already
  }
}

/** CPU seconds behind a % of the host over a reading. */
const cpuSeconds = (pct: number, r: NoiseReading) => (pct / 100) * r.seconds * cores;

describe('disturbedBy', () => {
  const reading = (stealPct: number, foreignCpuPct: number): NoiseReading => ({
    seconds: 10,
    stealPct,
    foreignCpuPct,
    driverCpuPct: 12,
    stackCpuPct: 40,
    runQueue: 1.5,
    runQueueMax: 4,
  });
  const bounds = { stealPct: 5, foreignPct: 20 };

  it('says which bound each figure passed', () => {
    assert.deepEqual(disturbedBy(reading(7.24, 31), bounds), [
      'steal 7.2 % > 5 %',
      'foreign CPU 31.0 % > 20 %',
    ]);
    assert.deepEqual(disturbedBy(reading(0.5, 20.5), bounds), ['foreign CPU 20.5 % > 20 %']);
  });

  it('is empty when clean, a figure at its bound included', () => {
    assert.deepEqual(disturbedBy(reading(1, 2), bounds), []);
    assert.deepEqual(disturbedBy(reading(5, 20), bounds), []);
  });
});

describe('startNoiseReadings', () => {
  it('a process burning half a core is foreign, or the stack when it is listed', async () => {
    const burner = node(BURNER);
    try {
      await said(burner, 'burning');
      const pid = burner.pid as number;

      const asForeign = await window(1500, { stackPids: () => [] });
      assert.ok(asForeign.seconds >= 1.4, `${asForeign.seconds} s`);
      assert.ok(
        asForeign.foreignCpuPct >= 0.5 * burnerShare,
        `foreign ${asForeign.foreignCpuPct} % holds the burner's ~${burnerShare} %`,
      );
      assert.ok(asForeign.driverCpuPct < 10, `driver ${asForeign.driverCpuPct} % (it sleeps)`);
      assert.equal(asForeign.stackCpuPct, 0);
      assert.ok(asForeign.runQueue >= 0 && asForeign.runQueueMax >= asForeign.runQueue);

      const asStack = await window(1500, { stackPids: () => [pid] });
      assert.ok(
        asStack.stackCpuPct >= 0.5 * burnerShare && asStack.stackCpuPct <= 1.6 * burnerShare,
        `stack ${asStack.stackCpuPct} % is the burner's ~${burnerShare} %`,
      );
      assert.ok(asStack.stackCpuPct + asStack.foreignCpuPct >= 0.5 * burnerShare);

      // listed only at the stop, but running before the start: its share is unknown, not counted
      let asked = 0;
      const lateListed = await window(500, { stackPids: () => (asked++ === 0 ? [] : [pid]) });
      assert.equal(lateListed.stackCpuPct, 0);
    } finally {
      killGroup(burner);
    }
  });

  it('a stack process started inside the window counts from 0', async () => {
    let child: ChildProcess | undefined;
    try {
      const reading = startNoiseReadings({ stackPids: () => (child ? [child.pid as number] : []) });
      child = node(BURN_300MS);
      await said(child, 'burnt');
      const r = await reading.stop();
      const seconds = cpuSeconds(r.stackCpuPct, r);
      // 300 ms by its own clock; /proc rounds to 10 ms ticks
      assert.ok(seconds >= 0.25 && seconds < 2, `stack ${seconds} s of CPU`);
    } finally {
      if (child) killGroup(child);
    }
  });

  it("the driver's own CPU is the driver's: this process spinning 300 ms", async () => {
    const outer = process.cpuUsage();
    const reading = startNoiseReadings({ stackPids: () => [] });
    const inner = process.cpuUsage();
    // by CPU time, not wall time: the amount holds however loaded the host is
    while (micros(process.cpuUsage(inner)) < 300_000) {
      // spin
    }
    const r = await reading.stop();
    const used = micros(process.cpuUsage(outer)) / 1e6;
    const seconds = cpuSeconds(r.driverCpuPct, r);
    assert.ok(seconds >= 0.25 && seconds <= used + 0.05, `driver ${seconds} s, used ${used} s`);
    // 300 ms of one core over the span: half the host on 2 cores unless the host starves us
    assert.ok(r.driverCpuPct >= (0.2 * 100) / cores, `driver ${r.driverCpuPct} %`);
  });

  it('stop() is one promise; an asynchronous stackPids that fails rejects it', async () => {
    const r = startNoiseReadings({ stackPids: async () => [], intervalMs: 20 });
    await sleep(100);
    const first = r.stop();
    assert.equal(r.stop(), first);
    const reading = await first;
    assert.ok(reading.seconds > 0 && reading.runQueueMax >= 0);

    const failing = startNoiseReadings({ stackPids: () => Promise.reject(new Error('no pids')) });
    // a turn for the rejection to happen before stop() is asked: it must not be unhandled
    await sleep(20);
    await assert.rejects(failing.stop(), /no pids/);
  });
});

const micros = (u: NodeJS.CpuUsage) => u.user + u.system;

/** A reading over about `ms`. */
async function window(
  ms: number,
  options: Parameters<typeof startNoiseReadings>[0],
): Promise<NoiseReading> {
  const reading = startNoiseReadings(options);
  await sleep(ms);
  return reading.stop();
}
