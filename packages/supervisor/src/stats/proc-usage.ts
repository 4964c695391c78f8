/**
 * CPU time and RSS of a pid from /proc/PID/stat: one small read per process per sample, no child
 * process, and a pid that has just died is simply absent (pidusage rejects the whole batch then).
 * Reads are synchronous on purpose: procfs answers from memory in microseconds, and going through
 * the libuv thread pool and promises cost four times the CPU (measured: 3.7 vs 0.85 ms for 51).
 */
import { closeSync, openSync, readSync } from 'node:fs';

const buffer = Buffer.alloc(4096);

function readProcFile(path: string): string | undefined {
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    const length = readSync(fd, buffer, 0, buffer.length, 0);
    return buffer.toString('latin1', 0, length);
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** USER_HZ: the unit of utime/stime in /proc; 100 on every Linux ABI Node supports. */
const CLOCK_TICKS = 100;

export interface ProcSample {
  /** CPU seconds used so far (user + system). */
  cpuSeconds: number;
  rssBytes: number;
}

let pageSize: number | undefined;

/** Page size, inferred once by comparing Node's own RSS with /proc/self/stat's page count. */
function getPageSize(): number {
  if (pageSize !== undefined) return pageSize;
  const sample = readStat('self', 4096);
  const pages = sample ? sample.rssBytes / 4096 : 0;
  const ratio = pages > 0 ? process.memoryUsage.rss() / pages : 4096;
  pageSize = [4096, 16384, 65536].reduce((best, size) =>
    Math.abs(size - ratio) < Math.abs(best - ratio) ? size : best,
  );
  return pageSize;
}

function readStat(pid: number | 'self', page: number): ProcSample | undefined {
  const text = readProcFile(`/proc/${pid}/stat`);
  if (text === undefined) return undefined;
  // The command name (field 2) may hold spaces and parentheses: split after the last ')'.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  const rssPages = Number(fields[21]);
  if (!Number.isFinite(utime + stime + rssPages)) return undefined;
  return { cpuSeconds: (utime + stime) / CLOCK_TICKS, rssBytes: rssPages * page };
}

/** Samples of the given pids; pids that are gone are missing from the map. */
export function sampleProcesses(pids: readonly number[]): Map<number, ProcSample> {
  const page = getPageSize();
  const out = new Map<number, ProcSample>();
  for (const pid of pids) {
    const sample = readStat(pid, page);
    if (sample) out.set(pid, sample);
  }
  return out;
}
