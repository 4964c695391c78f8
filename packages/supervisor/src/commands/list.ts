/** `list [WATCHER]`: the watchers' names, or the pids of one watcher's processes. */
import type { CommandDefinition } from './define.js';

export interface ListRequest {
  command: 'list';
  watcher?: string;
}
export type ListResult = { watchers: string[] } | { watcher: string; pids: number[] };

export const list: CommandDefinition<ListRequest, ListResult> = {
  name: 'list',
  usage: 'list [WATCHER]',
  summary: "watcher names, or the pids of WATCHER's processes",
  args: [{ name: 'watcher', type: 'string', required: false }],
  run(supervisor, request) {
    if (request.watcher === undefined) {
      return { watchers: supervisor.watchers.map((w) => w.name) };
    }
    const watcher = supervisor.watcher(request.watcher);
    return { watcher: watcher.name, pids: watcher.processes.map((p) => p.pid) };
  },
};
