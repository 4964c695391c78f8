export {
  hasParentChannel,
  sendFinalStats,
  sendToParent,
  startReports,
  type WorkerCounters,
} from './report.js';
export {
  type HeartbeatMessage,
  isWorkerMessage,
  type ReadyMessage,
  type StatsMessage,
  type WorkerMessage,
  type WorkerMessageType,
} from './worker-messages.js';
