/**
 * `events`: a stream of every event (spawn, ready, exit, reap, flapping, reload-start/end,
 * numprocesses, watcher-start/stop) until the client disconnects. In-process: `supervisor.subscribe`.
 */
import type { CommandDefinition } from './define.js';

export interface EventsRequest {
  command: 'events';
}

export const events: CommandDefinition<EventsRequest, { stream: 'events' }> = {
  name: 'events',
  usage: 'events',
  summary: 'stream events (spawn, exit, flapping, reload, …) until interrupted',
  args: [],
  stream: 'events',
  run() {
    return { stream: 'events' };
  },
};
