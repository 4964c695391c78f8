/**
 * `status [WATCHER]`: each watcher's state (active/stopped and why), wanted and running counts;
 * without WATCHER also the sockets, the endpoint, the dashboard address and the token file.
 */
import type { CommandDefinition } from './define.js';

export interface WatcherStatus {
  name: string;
  state: 'active' | 'stopped';
  stopReason: string;
  numprocesses: number;
  running: number;
  ready: number;
  restarts: number;
  reloading: boolean;
}

export interface StatusResult {
  pid: number;
  uptimeSeconds: number;
  config: string;
  endpoint: string;
  /** Where the dashboard listens (`127.0.0.1:8100`, port 0 resolved) when it is set. */
  dashboard: string | null;
  /** The 0600 file with the token the dashboard (and TCP control clients) need. */
  tokenFile: string;
  watchers: WatcherStatus[];
  sockets: { name: string; address: string; fd: number; backlog: number }[];
}

export interface StatusRequest {
  command: 'status';
  watcher?: string;
}

export const status: CommandDefinition<StatusRequest, StatusResult> = {
  name: 'status',
  usage: 'status [WATCHER]',
  summary: 'state of the watchers, sockets, endpoint, dashboard and token file',
  args: [{ name: 'watcher', type: 'string', required: false }],
  run(supervisor, request) {
    const watchers =
      request.watcher === undefined ? supervisor.watchers : [supervisor.watcher(request.watcher)];
    return {
      pid: process.pid,
      uptimeSeconds: Math.round((Date.now() - supervisor.startedAt) / 100) / 10,
      config: supervisor.config.file,
      endpoint: supervisor.endpoint,
      dashboard: supervisor.dashboardAddress,
      tokenFile: supervisor.config.supervisor.tokenFile,
      watchers: watchers.map((w) => ({
        name: w.name,
        state: w.state,
        stopReason: w.stopReason,
        numprocesses: w.numprocesses,
        running: w.processes.length,
        ready: w.processes.filter((p) => p.state === 'ready').length,
        restarts: w.restarts,
        reloading: w.reloading,
      })),
      sockets: supervisor.sockets.map((s, index) => ({
        name: s.config.name,
        address: s.address,
        fd: supervisor.firstSocketFd + index,
        backlog: s.config.backlog,
      })),
    };
  },
};
