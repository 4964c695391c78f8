/**
 * `incr WATCHER [N]`: runs N more processes (default 1). Answers once they are spawned; each
 * sends a `ready` event when it is ready (subscribe to `events` to wait for them).
 */
import { MAX_PROCESSES } from '../limits.js';
import type { CommandDefinition } from './define.js';
import type { CountResult } from './numprocesses.js';

export interface IncrRequest {
  command: 'incr';
  watcher: string;
  n?: number;
}

export const incr: CommandDefinition<IncrRequest, CountResult> = {
  name: 'incr',
  usage: 'incr WATCHER [N]',
  summary: 'run N more processes (default 1)',
  args: [
    { name: 'watcher', type: 'string', required: true },
    { name: 'n', type: 'integer', required: false, min: 1, max: MAX_PROCESSES },
  ],
  run(supervisor, request) {
    const watcher = supervisor.watcher(request.watcher);
    return { watcher: watcher.name, numprocesses: watcher.incr(request.n ?? 1) };
  },
};
