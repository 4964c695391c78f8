/** `quit`: stops every watcher gracefully, closes the sockets and the endpoint, and exits. */
import type { CommandDefinition } from './define.js';

export interface QuitRequest {
  command: 'quit';
}

export const quit: CommandDefinition<QuitRequest, { quitting: true }> = {
  name: 'quit',
  usage: 'quit',
  summary: 'stop every watcher gracefully and exit the supervisor',
  args: [],
  run(supervisor) {
    // Answer first: the shutdown closes this very connection.
    setImmediate(() => void supervisor.shutdown('quit command'));
    return { quitting: true };
  },
};
