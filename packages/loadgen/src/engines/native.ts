/** The `native` engine: each user is our own client loop (`User`), started at its ramp-up time. */
import { performance } from 'node:perf_hooks';
import type { Target } from '../target.js';
import { User, type UserSink } from '../user.js';
import type { LoadEngine, RunningUsers } from './engine.js';

export const nativeEngine: LoadEngine = {
  name: 'native',
  client: 'net+http-parser-js',
  start(target: Target, startsMs: number[], sink: UserSink): RunningUsers {
    const users = startsMs.map(() => new User(target, sink));
    const timers = startsMs.map((atMs, i) =>
      setTimeout(() => users[i]!.start(), Math.max(0, atMs - performance.now())),
    );
    return {
      stop() {
        for (const timer of timers) clearTimeout(timer);
        return users.map((user) => user.stop());
      },
      closed: Promise.resolve(),
    };
  },
};
