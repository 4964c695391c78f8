/**
 * `stats [WATCHER]`: the latest per-interval snapshot: per process pid, CPU %, RSS, age,
 * requests/s; per watcher totals and restarts; per socket the accept-queue depth. Over the
 * endpoint, `"follow": true` streams one snapshot per interval.
 */
import type { StatsSnapshot } from '../stats/types.js';
import type { CommandDefinition } from './define.js';

export interface StatsRequest {
  command: 'stats';
  watcher?: string;
}

export const stats: CommandDefinition<StatsRequest, StatsSnapshot> = {
  name: 'stats',
  usage: 'stats [WATCHER]',
  summary: 'latest statistics: processes, watcher totals, socket accept queues',
  args: [{ name: 'watcher', type: 'string', required: false }],
  async run(supervisor, request) {
    const snapshot = supervisor.latestStats ?? (await supervisor.sampleStats());
    if (request.watcher === undefined) return snapshot;
    const name = supervisor.watcher(request.watcher).name;
    return { ...snapshot, watchers: snapshot.watchers.filter((w) => w.name === name) };
  },
};
