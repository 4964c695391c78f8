/**
 * Runs one shard of an open-loop cycle: a timer walks the arrival schedule and hands every
 * request whose intended time has come to the connection pool, catching up at once when the
 * timer fired late (the lateness is charged to those requests' latency, as wrk2 does, and shows
 * as send lag). Nothing the server does moves the schedule.
 */
import { performance } from 'node:perf_hooks';
import type { RunningUsers } from '../engines/engine.js';
import type { ArrivalName } from '../load-options.js';
import type { RateShare } from '../split.js';
import type { Target } from '../target.js';
import { arrivalSchedule } from './arrivals.js';
import { ConnectionPool } from './pool.js';
import type { OpenLoopRecorder, OpenLoopShardStats } from './recorder.js';

/** What a shard of an open-loop cycle is told (part of `ShardSpec`). */
export interface OpenLoopShardSpec {
  arrivals: ArrivalName;
  /** This shard's share of the cycle's rate (split.ts). */
  rate: RateShare;
  /** This shard's connections before the cycle, and its pool limit. */
  connections: number;
  maxConnections: number;
}

export interface RunningOpenLoop extends RunningUsers {
  /** After `stop`: what the shard reports beyond the closed loop's counts. */
  stats(): OpenLoopShardStats;
}

export function startOpenLoop(
  target: Target,
  spec: OpenLoopShardSpec,
  /** The cycle's start, this thread's `performance.now()` ms (the share's phase comes after). */
  startMs: number,
  recorder: OpenLoopRecorder,
): RunningOpenLoop {
  const pool = new ConnectionPool(target, recorder, spec.connections, spec.maxConnections);
  const schedule = arrivalSchedule(spec.arrivals, startMs, spec.rate);
  let next = schedule.next();
  let timer: NodeJS.Timeout;
  let waitingAtEnd = 0;

  const wait = () => {
    // Timers have millisecond granularity and may fire late, never early: round up.
    timer = setTimeout(tick, Math.max(0, Math.ceil(next - performance.now())));
  };
  const tick = () => {
    const now = performance.now();
    while (next <= now) {
      pool.submit(next);
      next = schedule.next();
    }
    wait();
  };
  wait();

  return {
    stop() {
      clearTimeout(timer);
      // Requests whose time had come but the timer had not handed over yet: they arrived and
      // were never sent, like those waiting for a connection.
      const late: number[] = [];
      const now = performance.now();
      while (next <= now) {
        recorder.onArrival(next);
        late.push(next);
        next = schedule.next();
      }
      const { outstanding, waiting } = pool.stop();
      waitingAtEnd = waiting + late.length;
      return outstanding.concat(late);
    },
    closed: Promise.resolve(),
    stats: () => recorder.stats(waitingAtEnd, pool.size),
  };
}
