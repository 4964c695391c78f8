export { canListen, freePort } from './free-port.js';
export {
  type HostBusy,
  type HostCpuSample,
  type HostCpuSource,
  hostBusyBetween,
  hostBusySince,
  hostCpuSampleOf,
  sampleHostCpu,
} from './host-busy.js';
export {
  type HostCpuLine,
  parseCpuCount,
  parseCpuLine,
  parseProcsRunning,
  readHostStat,
} from './host-stat.js';
export {
  acceptQueueDepth,
  acceptQueueInSs,
  findQueue,
  type ListenQueue,
  type ListenQueueQuery,
  listeningSockets,
  parseSs,
  readListenQueues,
} from './listen-queue.js';
export {
  disturbedBy,
  type NoiseReading,
  type NoiseReadingOptions,
  startNoiseReadings,
} from './noise.js';
export {
  CLOCK_TICKS,
  type ProcStat,
  parseProcStat,
  readProcStat,
  readProcText,
} from './proc-stat.js';
export {
  descendantsOf,
  isAlive,
  processStartTime,
  processTable,
  stackPids,
} from './process-tree.js';
export {
  cpuSecondsOf,
  getPageSize,
  type ProcSample,
  sampleProcesses,
  UsageMeter,
  type UsageTotals,
  uptimeSeconds,
} from './process-usage.js';
