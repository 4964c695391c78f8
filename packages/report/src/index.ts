export {
  type AbRecord,
  type AbSide,
  type AdaptiveRecord,
  type AdaptiveSettings,
  type CellRef,
  type ConnectionMode,
  type DisturbanceSettings,
  type DriverInfo,
  type ExtraRound,
  type HostFacts,
  type HostLoad,
  LEGACY_MANIFEST_SCHEMA,
  LEGACY_STACK_RESULT_SCHEMA,
  type Lifecycle,
  MANIFEST_SCHEMA,
  type Manifest,
  type ManifestStack,
  type Method,
  type Placement,
  type ProfileSettings,
  READABLE_LOAD_SCHEMAS,
  type Rerun,
  type RuntimeInfo,
  type SampleWindow,
  type ServerSample,
  type ServerSummary,
  type ServiceTime,
  STACK_RESULT_SCHEMA,
  type StackResult,
  type StackRun,
  type StackStatus,
  type Topology,
  type TopologyHost,
  type TwinOf,
  type Verification,
  validateManifest,
  validateStackResult,
  type WindowBalance,
  type WindowNoise,
  type WindowRef,
  type WindowSizingSettings,
  type WorkerShare,
} from '@stackbench/result';
export { abEffectLine, abSummaryLine, formatAbVerdict } from './ab-section.js';
export {
  AB_METRIC_LABEL,
  AB_METRICS,
  type AbCell,
  type AbEffect,
  type AbMetric,
  type AbSideName,
  type AbVerdict,
  abName,
  abRegressions,
  abSideOf,
  abVerdict,
} from './ab-verdict.js';
export {
  type Axis,
  axisOf,
  connectionModes,
  connectionOf,
  levelLabel,
  levelOf,
  workloadOf,
  workloadsOf,
} from './axis.js';
export { type BuiltReport, buildReport } from './build-report.js';
export {
  BETTER,
  type Cell,
  cellName,
  HOST_BUSY_PCT,
  isDisturbed,
  isReplaced,
  METRICS,
  type Metric,
  registryCells,
  stackCells,
  stackCellsOfSet,
} from './cells.js';
export { allCharts, CAPACITY_LABEL, type ChartSpec, type ChartStack } from './charts.js';
export {
  type CellComparison,
  CORRECTIONS,
  type CompareOptions,
  type Comparison,
  type CorrectionScope,
  compareSets,
  DEFAULT_COMPARE,
  hostClass,
  incomparability,
  type MetricComparison,
  regressionsBeyond,
  type Verdict,
} from './compare.js';
export { formatComparison } from './compare-format.js';
export {
  boundRate,
  ceilingText,
  DRIVER_BOUND_PCT,
  driverRate,
  isDriverBound,
  perThreadCeiling,
  threadsNeeded,
} from './driver-bound.js';
export { ChartRenderError, IncomparableSetsError, ResultSetError } from './errors.js';
export { CONNECTION_ORDER } from './group.js';
export {
  type LevelPairs,
  levelPairs,
  type MetricPairs,
  type RankedCell,
  rankLabel,
} from './level-pairs.js';
export { renderMarkdown } from './markdown.js';
export {
  LEAD_METRIC,
  METRIC_REGISTRY,
  type MetricDef,
  type MetricKey,
  type MetricRegistry,
  metricDef,
  windowCpuMsPerRequest,
} from './metrics.js';
export {
  type CellGroup,
  cellGroups,
  disturbedRounds,
  type GroupPairs,
  groupPairs,
  type Matched,
  matchRounds,
  type PairMetric,
  pairRanks,
  type RoundValue,
  type StackPair,
} from './pairs.js';
export {
  type ResultSet,
  readManifest,
  readResultSet,
  readStackResult,
  stackFileName,
} from './read-set.js';
export { renderSvg } from './render-svg.js';
export { renderResultsIndex, writeResultsIndex } from './results-index.js';
export { type CycleRow, cellRow, stackRows } from './rows.js';
export { type CatalogEntry, catalogSets, newestComparable } from './set-catalog.js';
export { type SetCompare, writeSetCompare } from './set-compare.js';
export { JSON_DECIMALS, stableStringify } from './stable-json.js';
export {
  jainIndex,
  type PairEffect,
  type PairSample,
  pairEffects,
  type Summary,
  summarize,
} from './stats/index.js';
export { formatSummary } from './summary-format.js';
export { versionNumber } from './version-number.js';
export { type WindowSizing, windowSizingOf } from './window-sizing.js';
export { writeJsonAtomic } from './write-atomic.js';
