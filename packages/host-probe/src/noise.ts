/**
 * Noise readings: what else used the host while a benchmark window was measured. Every CPU figure
 * is a share of the whole host's CPU time (all cores together are 100 %), so hosts of any size
 * read alike.
 *
 * - steal and busy: the `cpu` line of /proc/stat over the span (shares of all its jiffies);
 * - the driver's and the stack's CPU: utime + stime of /proc/PID/stat (all threads) over
 *   span × cores;
 * - foreign = busy − stack − driver, never below 0: everything else, including the other (idle)
 *   stacks of an interleaved round;
 * - the run queue: `procs_running` of /proc/stat every `intervalMs`, minus 1 for the thread doing
 *   the read (it is running while it reads), never below 0.
 *
 * Each end of the span is read in one synchronous go once the stack's pids are known, so the host,
 * driver and stack figures cover the same span. Off Linux nothing is readable and every figure
 * is 0 (so nothing reads as disturbed); the report's fields are plain numbers, JSON has no NaN.
 */
import { parseCpuCount, parseCpuLine, parseProcsRunning, readHostStat } from './host-stat.js';
import { CLOCK_TICKS, readProcStat } from './proc-stat.js';
import { uptimeSeconds } from './process-usage.js';

export interface NoiseReadingOptions {
  /**
   * The stack's processes, asked at start and again at stop (workers may come and go); their
   * CPU is the stack's. The driver's pid is left out of it if listed.
   */
  stackPids: () => readonly number[] | Promise<readonly number[]>;
  /** The load driver's process (default: this one; all its threads count). */
  driverPid?: number;
  /** How often `procs_running` is read, ms (default 100). */
  intervalMs?: number;
}

export interface NoiseReading {
  /** Span between the two ends, s. */
  seconds: number;
  /** Steal jiffies / all jiffies of the host over the span, %. */
  stealPct: number;
  /** max(0, busy − stack − driver), % of the host. */
  foreignCpuPct: number;
  /** The driver's CPU / (span × cores), %. */
  driverCpuPct: number;
  /** The stack's CPU / (span × cores), %. */
  stackCpuPct: number;
  /** Mean of the `procs_running` readings, each minus the reading thread. */
  runQueue: number;
  runQueueMax: number;
}

/** CPU ticks of one process and its start (a reused pid is another process). */
interface PidTicks {
  ticks: number;
  starttime: number;
}

/** One end of the span. */
interface End {
  atMs: number;
  /** Seconds since boot, in ticks: a stack pid started after this is inside the window. */
  uptimeTicks: number;
  host: ReturnType<typeof parseCpuLine>;
  cores: number;
  driver: PidTicks | undefined;
  stack: Map<number, PidTicks>;
}

function pidTicks(pid: number): PidTicks | undefined {
  const stat = readProcStat(pid);
  return stat && { ticks: stat.utime + stat.stime, starttime: stat.starttime };
}

function readEnd(stackPids: readonly number[], driverPid: number): End {
  const text = readHostStat() ?? '';
  const stack = new Map<number, PidTicks>();
  for (const pid of stackPids) {
    const read = pid === driverPid || stack.has(pid) ? undefined : pidTicks(pid);
    if (read) stack.set(pid, read);
  }
  return {
    atMs: performance.now(),
    uptimeTicks: (uptimeSeconds() ?? 0) * CLOCK_TICKS,
    host: parseCpuLine(text),
    cores: parseCpuCount(text),
    driver: pidTicks(driverPid),
    stack,
  };
}

/** Ticks of a process between the ends: 0 when it is not the same process at both. */
function driverTicks(a: PidTicks | undefined, b: PidTicks | undefined): number {
  return a && b && a.starttime === b.starttime ? Math.max(0, b.ticks - a.ticks) : 0;
}

/**
 * The stack's ticks between the ends. A pid at both counts its difference; a pid seen only at
 * the stop counts from 0 if it started after the start (all its CPU is inside the window), else
 * not at all (how much of its CPU fell inside is unknown; it shows as foreign). A pid gone by
 * the stop is not counted either (its last ticks are unreadable): workers that come and go
 * inside a window make foreign a little high, never stack.
 */
function stackTicks(a: End, b: End): number {
  let sum = 0;
  for (const [pid, now] of b.stack) {
    const before = a.stack.get(pid);
    if (before && before.starttime === now.starttime) sum += Math.max(0, now.ticks - before.ticks);
    else if (now.starttime >= a.uptimeTicks) sum += now.ticks;
  }
  return sum;
}

const round2 = (x: number) => Math.round(x * 100) / 100;

function readingOf(a: End, b: End, queue: readonly number[]): NoiseReading {
  const seconds = (b.atMs - a.atMs) / 1000;
  const jiffies = a.host && b.host ? b.host.total - a.host.total : 0;
  const ofJiffies = (n: number) => (jiffies > 0 ? (100 * n) / jiffies : 0);
  const capacity = seconds * b.cores * CLOCK_TICKS;
  const ofCapacity = (ticks: number) => (capacity > 0 ? (100 * ticks) / capacity : 0);
  const busyPct = a.host && b.host ? ofJiffies(b.host.busy - a.host.busy) : 0;
  const driverCpuPct = ofCapacity(driverTicks(a.driver, b.driver));
  const stackCpuPct = ofCapacity(stackTicks(a, b));
  return {
    seconds: round2(seconds),
    stealPct: round2(a.host && b.host ? ofJiffies(b.host.steal - a.host.steal) : 0),
    foreignCpuPct: round2(Math.max(0, busyPct - stackCpuPct - driverCpuPct)),
    driverCpuPct: round2(driverCpuPct),
    stackCpuPct: round2(stackCpuPct),
    runQueue: round2(queue.length ? queue.reduce((s, n) => s + n, 0) / queue.length : 0),
    runQueueMax: Math.max(0, ...queue),
  };
}

/**
 * Starts a reading now; stop() ends it and resolves with the figures (the same promise on every
 * call). A stackPids that answers synchronously is read at once, so work the caller does right
 * after the start is inside the window; one that answers with a promise starts the span when it
 * resolves. Its error, if any, rejects stop().
 */
export function startNoiseReadings(options: NoiseReadingOptions): {
  stop(): Promise<NoiseReading>;
} {
  const driverPid = options.driverPid ?? process.pid;
  const endWith = (pids: readonly number[]) => readEnd(pids, driverPid);
  const listed = options.stackPids();
  const start = Array.isArray(listed)
    ? Promise.resolve(endWith(listed))
    : Promise.resolve(listed).then(endWith);
  // kept for stop(): without a handler now, a rejection before stop() would end the process
  start.catch(() => {});

  const queue: number[] = [];
  const readQueue = () => {
    const running = parseProcsRunning(readHostStat() ?? '');
    if (running !== undefined) queue.push(Math.max(0, running - 1));
  };
  readQueue();
  // unref'd: an unstopped reading must not keep the process alive
  const timer = setInterval(readQueue, options.intervalMs ?? 100).unref();

  let stopped: Promise<NoiseReading> | undefined;
  const finish = async () => {
    clearInterval(timer);
    readQueue();
    const a = await start;
    const b = endWith(await options.stackPids());
    return readingOf(a, b, queue);
  };
  return {
    stop() {
      stopped ??= finish();
      return stopped;
    },
  };
}

/** Why a reading counts as disturbed, given bounds in % of the host's CPU; [] when clean. */
export function disturbedBy(
  r: Pick<NoiseReading, 'stealPct' | 'foreignCpuPct'>,
  bounds: { stealPct: number; foreignPct: number },
): string[] {
  const reasons: string[] = [];
  if (r.stealPct > bounds.stealPct) {
    reasons.push(`steal ${r.stealPct.toFixed(1)} % > ${bounds.stealPct} %`);
  }
  if (r.foreignCpuPct > bounds.foreignPct) {
    reasons.push(`foreign CPU ${r.foreignCpuPct.toFixed(1)} % > ${bounds.foreignPct} %`);
  }
  return reasons;
}
