export { type BenchAppOptions, benchApp, createBenchApp, formatElapsed } from './bench-app.js';
export { cpuSink, cpuStep } from './cpu-step.js';
export { AppParameterError } from './errors.js';
export { type AsyncListener, guardListener, type Logger } from './guard.js';
export { helloApp, helloBody } from './hello-app.js';
export {
  type BenchParams,
  defaultParams,
  paramVariables,
  readParams,
  type WriteMode,
  writeModes,
} from './params.js';
export {
  capacityRps,
  type MeasureOptions,
  measureServiceTime,
  type ServiceTime,
} from './service-time.js';
