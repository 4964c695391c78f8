/** `signal WATCHER SIGNAL [PID]`: sends SIGNAL (TERM, HUP, USR1, 9…) to its processes, or one. */
import { BadRequestError } from '../errors.js';
import type { CommandDefinition } from './define.js';

export interface SignalRequest {
  command: 'signal';
  watcher: string;
  signal: NodeJS.Signals;
  pid?: number;
}
export interface SignalResult {
  watcher: string;
  signal: NodeJS.Signals;
  pids: number[];
}

export const signal: CommandDefinition<SignalRequest, SignalResult> = {
  name: 'signal',
  usage: 'signal WATCHER SIGNAL [PID]',
  summary: "send SIGNAL to WATCHER's processes, or to one of them",
  args: [
    { name: 'watcher', type: 'string', required: true },
    { name: 'signal', type: 'signal', required: true },
    { name: 'pid', type: 'integer', required: false, min: 1 },
  ],
  run(supervisor, request) {
    const watcher = supervisor.watcher(request.watcher);
    const pids = watcher.signal(request.signal, request.pid);
    if (request.pid !== undefined && pids.length === 0) {
      throw new BadRequestError(`signal: pid ${request.pid} is not a process of ${watcher.name}`);
    }
    return { watcher: watcher.name, signal: request.signal, pids };
  },
};
