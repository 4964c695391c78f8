/** `decr WATCHER [N]`: runs N fewer processes (default 1); the newest are stopped gracefully. */
import { MAX_PROCESSES } from '../limits.js';
import type { CommandDefinition } from './define.js';
import type { CountResult } from './numprocesses.js';

export interface DecrRequest {
  command: 'decr';
  watcher: string;
  n?: number;
}

export const decr: CommandDefinition<DecrRequest, CountResult> = {
  name: 'decr',
  usage: 'decr WATCHER [N]',
  summary: 'run N fewer processes (default 1), stopping the newest gracefully',
  args: [
    { name: 'watcher', type: 'string', required: true },
    { name: 'n', type: 'integer', required: false, min: 1, max: MAX_PROCESSES },
  ],
  run(supervisor, request) {
    const watcher = supervisor.watcher(request.watcher);
    return { watcher: watcher.name, numprocesses: watcher.decr(request.n ?? 1) };
  },
};
