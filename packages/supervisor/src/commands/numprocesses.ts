/** `numprocesses WATCHER`: how many processes the watcher is meant to run. */
import type { CommandDefinition } from './define.js';

export interface NumprocessesRequest {
  command: 'numprocesses';
  watcher: string;
}
export interface CountResult {
  watcher: string;
  numprocesses: number;
}

export const numprocesses: CommandDefinition<NumprocessesRequest, CountResult> = {
  name: 'numprocesses',
  usage: 'numprocesses WATCHER',
  summary: 'the number of processes WATCHER is meant to run',
  args: [{ name: 'watcher', type: 'string', required: true }],
  run(supervisor, request) {
    const watcher = supervisor.watcher(request.watcher);
    return { watcher: watcher.name, numprocesses: watcher.numprocesses };
  },
};
