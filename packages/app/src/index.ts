export {
  type BenchApp,
  type BenchAppOptions,
  benchApp,
  createBenchApp,
  formatElapsed,
} from './bench-app.js';
export { benchWork } from './bench-work.js';
export { cpuSink, cpuStep } from './cpu-step.js';
export { type DbParams, dbParamVariables, readDbParams } from './db-params.js';
export { MAX_QUERIES, queriesOf, type WorldRow } from './db-route.js';
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
export {
  type Answer,
  answerResponse,
  createWorkloadRoutes,
  plaintextBody,
  type WorkloadRoutes,
  type WorkloadRoutesOptions,
} from './workload-routes.js';
