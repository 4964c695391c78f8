/** The public API of @stackbench/prefork (see README "Contract"). */
export { Arbiter, heartbeatInterval } from './arbiter.js';
export { type BindAddress, formatBind, parseBind, probeBind } from './bind.js';
export { type PreforkConfig, resolveConfig } from './config.js';
export {
  APP_LOAD_ERROR,
  AppMissingError,
  BindError,
  BindSpecError,
  JitterWithoutMaxRequestsError,
  LogFileError,
  PidFileError,
  PREFORK_APP,
  PREFORK_BIND,
  PreforkError,
  type PreforkErrorCode,
  WORKER_BOOT_ERROR,
  WorkerBootError,
} from './errors.js';
export { formatLogLine, Logger, type LogLevel } from './log.js';
export { preforkCommand, preforkOptions, type ScheduleName, scheduleNames } from './options.js';
export { type PreforkHooks, runPrefork } from './run-prefork.js';
export { formatSummary } from './summary.js';
