/**
 * `reload [WATCHER]`: rolling, readiness-checked replacement of every process: a new process must
 * be ready (IPC `ready`, or alive for check_delay with `readiness = delay`) before an old one gets
 * its stop signal, so a reload under load drops no request. Answers when it is done; a failure
 * keeps the old processes and answers SUPERVISOR_RELOAD_FAILED.
 */
import type { CommandDefinition } from './define.js';

export interface ReloadRequest {
  command: 'reload';
  watcher?: string;
}
export interface ReloadResult {
  watchers: { name: string; replaced: number }[];
}

export const reload: CommandDefinition<ReloadRequest, ReloadResult> = {
  name: 'reload',
  usage: 'reload [WATCHER]',
  summary: 'rolling restart: each new process is ready before an old one stops',
  args: [{ name: 'watcher', type: 'string', required: false }],
  async run(supervisor, request) {
    const targets = supervisor
      .select(request.watcher)
      .filter((w) => request.watcher !== undefined || w.state === 'active');
    const watchers: ReloadResult['watchers'] = [];
    for (const watcher of targets) {
      const { replaced } = await watcher.reload();
      watchers.push({ name: watcher.name, replaced });
    }
    return { watchers };
  },
};
