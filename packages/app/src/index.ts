export {
  type BenchApp,
  type BenchAppOptions,
  benchApp,
  createBenchApp,
  formatElapsed,
} from './bench-app.js';
export { benchWork } from './bench-work.js';
export { cpuSink, cpuStep } from './cpu-step.js';
export { AppParameterError } from './errors.js';
export {
  type FetchHandler,
  guardFetch,
  textResponse,
  type WithFetch,
  withFetch,
} from './fetch-face.js';
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
