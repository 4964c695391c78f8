/** Public API of the load driver (DESIGN.md contract 4); the orchestrator uses these names. */
export { MAX_USERS, parseCycles } from './cycles.js';
export { DEFAULT_ENGINE, ENGINE_NAMES, type EngineName } from './engines/engine.js';
export {
  CyclesError,
  EngineUnsupportedError,
  LoadOptionError,
  OutputNotWritableError,
  PreflightError,
} from './errors.js';
export { formatCycleTable, formatProgressLine } from './format.js';
export { preflight } from './preflight.js';
export {
  type CycleProgress,
  type CycleResult,
  type FailureCounts,
  type LatencyStats,
  LOAD_RESULT_SCHEMA,
  type LoadOptions,
  type LoadResult,
  type TimelineSample,
} from './result.js';
export { DEFAULT_LOAD_OPTIONS, type RunHooks, runLoad } from './run-load.js';
export { validateLoadOptions } from './validate.js';
