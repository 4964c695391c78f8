/** Public API of @stackbench/supervisor: what other packages (bench, the dashboard) may import. */

export {
  COMMAND_NAMES,
  COMMANDS,
  type CommandMap,
  type CommandName,
  type ControlRequest,
  execute,
  parseRequest,
  type RequestOf,
  type ResultOf,
  requestFromArgv,
} from './commands/index.js';
export type { ListResult } from './commands/list.js';
export type { CountResult } from './commands/numprocesses.js';
export type { ReloadResult } from './commands/reload.js';
export type { SignalResult } from './commands/signal.js';
export type { WatchersResult } from './commands/start.js';
export type { StatusResult, WatcherStatus } from './commands/status.js';
export { formatEndpoint, isLoopback, parseDashboard, parseEndpoint } from './config/addresses.js';
export { FIRST_SOCKET_FD, loadConfig, parseConfig } from './config/load.js';
export type {
  Config,
  DashboardAddress,
  Endpoint,
  Readiness,
  SocketConfig,
  StreamTarget,
  SupervisorSettings,
  WatcherConfig,
} from './config/types.js';
export { ControlClient } from './control/client.js';
export type { WireError, WireLine, WireResponse, WireStreamItem } from './control/protocol.js';
export {
  type Dashboard,
  type DashboardOptions,
  type DashboardSource,
  startDashboard,
} from './dashboard/server.js';
export * from './errors.js';
export { formatEvent, type SupervisorEvent, type SupervisorEventType } from './events.js';
export { type BoundSocket, bindSockets, type OwnedSockets } from './sockets.js';
export type {
  ProcessStats,
  SocketStats,
  StatsSnapshot,
  WatcherStats,
  WatcherTotals,
} from './stats/types.js';
export { Supervisor, type SupervisorOptions } from './supervisor.js';
