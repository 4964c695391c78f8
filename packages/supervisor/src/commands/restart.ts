/** `restart [WATCHER]`: stop then start (all processes at once; see `reload` for a rolling one). */
import type { CommandDefinition } from './define.js';
import type { WatchersResult } from './start.js';

export interface RestartRequest {
  command: 'restart';
  watcher?: string;
}

export const restart: CommandDefinition<RestartRequest, WatchersResult> = {
  name: 'restart',
  usage: 'restart [WATCHER]',
  summary: 'stop then start WATCHER (or every watcher): not rolling, see reload',
  args: [{ name: 'watcher', type: 'string', required: false }],
  async run(supervisor, request) {
    const targets = supervisor.select(request.watcher);
    await Promise.all(targets.map((w) => w.restart()));
    return { watchers: targets.map((w) => w.name) };
  },
};
