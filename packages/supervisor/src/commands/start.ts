/** `start [WATCHER]`: starts a stopped watcher (or all), also one stopped for flapping. */
import type { CommandDefinition } from './define.js';

export interface StartRequest {
  command: 'start';
  watcher?: string;
}
export interface WatchersResult {
  watchers: string[];
}

export const start: CommandDefinition<StartRequest, WatchersResult> = {
  name: 'start',
  usage: 'start [WATCHER]',
  summary: 'start WATCHER (or every watcher), also one stopped for flapping',
  args: [{ name: 'watcher', type: 'string', required: false }],
  run(supervisor, request) {
    const targets = supervisor.select(request.watcher);
    for (const watcher of targets) watcher.start();
    return { watchers: targets.map((w) => w.name) };
  },
};
