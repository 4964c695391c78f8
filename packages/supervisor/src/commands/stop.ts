/**
 * `stop [WATCHER]`: stops WATCHER (or all) gracefully: stop_signal, SIGKILL after
 * graceful_timeout. Answers when every process has exited. It stays stopped until `start`.
 */
import type { CommandDefinition } from './define.js';
import type { WatchersResult } from './start.js';

export interface StopRequest {
  command: 'stop';
  watcher?: string;
}

export const stop: CommandDefinition<StopRequest, WatchersResult> = {
  name: 'stop',
  usage: 'stop [WATCHER]',
  summary: 'stop WATCHER (or every watcher) gracefully; it stays stopped until start',
  args: [{ name: 'watcher', type: 'string', required: false }],
  async run(supervisor, request) {
    const targets = supervisor.select(request.watcher);
    await Promise.all(targets.map((w) => w.stop()));
    return { watchers: targets.map((w) => w.name) };
  },
};
