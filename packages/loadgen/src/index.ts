/** Public API of the load driver (docs/contracts.md#load-driver-result); the orchestrator uses these names. */

export {
  type CeilingOptions,
  DEFAULT_CEILING_OPTIONS,
  type DriverCeiling,
  defaultServerProcesses,
  measureCeiling,
} from './ceiling/measure-ceiling.js';
export { type NullServer, startNullServer } from './ceiling/null-server.js';
export { MAX_USERS, parseCycles } from './cycles.js';
export { DEFAULT_ENGINE, ENGINE_NAMES, type EngineName } from './engines/engine-name.js';
export {
  CeilingError,
  CyclesError,
  EngineUnsupportedError,
  LoadOptionError,
  OutputNotWritableError,
  PreflightError,
  RatesError,
} from './errors.js';
export { addFailures, emptyFailures } from './failure-counts.js';
export { formatCycleTable, formatProgressLine } from './format.js';
export {
  type AnyLoadOptions,
  ARRIVAL_NAMES,
  type ArrivalName,
  type CommonLoadOptions,
  isOpenLoop,
  type LoadOptions,
  type OpenLoopOptions,
} from './load-options.js';
export {
  cyclePart,
  type LoadPart,
  type MergedLoad,
  mergeParts,
  type OpenLoopCycleSpec,
  type OpenLoopPart,
  type PartSecond,
  RATE_ACHIEVED,
  type SendLagSummary,
} from './merge-parts.js';
export { DEFAULT_OPEN_LOOP_OPTIONS, openLoopLimit } from './open-loop/defaults.js';
export { preflight } from './preflight.js';
export { MAX_RATE, parseRates } from './rates.js';
export {
  type CycleProgress,
  type CycleResult,
  type FailureCounts,
  type LatencyStats,
  LOAD_RESULT_SCHEMA,
  LOAD_RESULT_SCHEMAS,
  type LoadResult,
  type LoadResultSchema,
  type OpenLoopCycle,
  type TimelineSample,
} from './result.js';
export { DEFAULT_LOAD_OPTIONS, type RunHooks, runLoad } from './run-load.js';
export {
  type LoadShare,
  openLoopParts,
  type RateShare,
  splitLoad,
  splitRate,
  splitUsers,
} from './split.js';
export { validateLoadOptions } from './validate.js';
export {
  type AdaptiveWindowOptions,
  type CycleWindow,
  SIZED_BY,
  type SizedBy,
} from './window-types.js';
