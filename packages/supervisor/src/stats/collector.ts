/**
 * Builds a `StatsSnapshot` every interval: /proc reads for CPU and RSS, the workers' cumulative IPC
 * counters for requests (rates from differences, so a lost report loses nothing), and `ss` for the
 * accept queues. Cheap enough for 50 workers every second (see the README's benchmark).
 */
import {
  findQueue,
  type ProcSample,
  readListenQueues,
  sampleProcesses,
} from '@stackbench/host-probe';
import type { BoundSocket } from '../sockets.js';
import type { Watcher } from '../watcher.js';
import type { ProcessStats, SocketStats, StatsSnapshot, WatcherStats } from './types.js';

interface Previous {
  time: number;
  cpuSeconds: number;
  requests: number;
}

const round = (value: number, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;

export class StatsCollector {
  private previous = new Map<number, Previous>();
  private supervisorPrevious: Previous | undefined;

  constructor(
    private readonly watchers: () => readonly Watcher[],
    private readonly sockets: () => readonly BoundSocket[],
    private readonly firstSocketFd: number,
    private readonly intervalMs: number,
  ) {}

  async sample(): Promise<StatsSnapshot> {
    const now = Date.now();
    const watchers = this.watchers();
    const children = watchers.flatMap((w) => [...w.processes, ...w.stopping]);
    const sockets = this.sockets();
    const hasUnix = sockets.some((s) => s.config.family === 'AF_UNIX');
    const queuesRead = sockets.length ? readListenQueues({ unix: hasUnix }) : Promise.resolve([]);
    const usage = sampleProcesses([process.pid, ...children.map((c) => c.pid)]);
    const queues = await queuesRead;
    const next = new Map<number, Previous>();
    const rate = (pid: number, sample: ProcSample | undefined, requests: number) => {
      const before = pid === process.pid ? this.supervisorPrevious : this.previous.get(pid);
      const current = { time: now, cpuSeconds: sample?.cpuSeconds ?? 0, requests };
      if (pid === process.pid) this.supervisorPrevious = current;
      else next.set(pid, current);
      if (!before || now <= before.time) return { cpu: 0, rps: 0 };
      const seconds = (now - before.time) / 1000;
      return {
        cpu: (100 * (current.cpuSeconds - before.cpuSeconds)) / seconds,
        rps: Math.max(0, requests - before.requests) / seconds,
      };
    };
    const watcherStats: WatcherStats[] = watchers.map((watcher) => {
      const processes: ProcessStats[] = [...watcher.processes, ...watcher.stopping].map((child) => {
        const sample = usage.get(child.pid);
        const { cpu, rps } = rate(child.pid, sample, child.counters.requests);
        return {
          pid: child.pid,
          wid: child.wid,
          state: child.state,
          cpu: round(cpu),
          rssBytes: sample?.rssBytes ?? 0,
          ageSeconds: round((now - child.startedAt) / 1000),
          ...child.counters,
          requestsPerSecond: round(rps),
        };
      });
      const sum = (pick: (p: ProcessStats) => number) =>
        processes.reduce((total, p) => total + pick(p), 0);
      return {
        name: watcher.name,
        state: watcher.state,
        stopReason: watcher.stopReason,
        numprocesses: watcher.numprocesses,
        restarts: watcher.restarts,
        processes,
        totals: {
          processes: processes.length,
          cpu: round(sum((p) => p.cpu)),
          rssBytes: sum((p) => p.rssBytes),
          requests: watcher.retiredRequests + sum((p) => p.requests),
          errors: watcher.retiredErrors + sum((p) => p.errors),
          inFlight: sum((p) => p.inFlight),
          requestsPerSecond: round(sum((p) => p.requestsPerSecond)),
        },
      };
    });
    this.previous = next;
    const own = rate(process.pid, usage.get(process.pid), 0);
    const socketRps = round(
      watcherStats
        .filter((_, i) => watchers[i]?.config.useSockets)
        .reduce((total, w) => total + w.totals.requestsPerSecond, 0),
    );
    const socketStats: SocketStats[] = sockets.map((socket, index) => {
      const queue = findQueue(
        queues,
        socket.config.family === 'AF_UNIX'
          ? { unixPath: socket.config.path }
          : { port: socket.port },
      );
      return {
        name: socket.config.name,
        address: socket.address,
        fd: this.firstSocketFd + index,
        backlog: socket.config.backlog,
        acceptQueue: queue ? queue.queued : null,
        requestsPerSecond: socketRps,
      };
    });
    return {
      time: now,
      intervalMs: this.intervalMs,
      supervisor: {
        pid: process.pid,
        cpu: round(own.cpu),
        rssBytes: usage.get(process.pid)?.rssBytes ?? 0,
      },
      watchers: watcherStats,
      sockets: socketStats,
    };
  }
}
