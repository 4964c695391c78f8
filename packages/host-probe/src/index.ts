export { canListen, freePort } from './free-port.js';
export {
  acceptQueueDepth,
  findQueue,
  listeningSockets,
  type ListenQueue,
  type ListenQueueQuery,
  parseSs,
  readListenQueues,
} from './listen-queue.js';
export {
  CLOCK_TICKS,
  type ProcStat,
  parseProcStat,
  readProcStat,
  readProcText,
} from './proc-stat.js';
export { isAlive, processStartTime, processTable, stackPids } from './process-tree.js';
export {
  cpuSecondsOf,
  getPageSize,
  type ProcSample,
  sampleProcesses,
  UsageMeter,
  type UsageTotals,
} from './process-usage.js';
