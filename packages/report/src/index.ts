export { type BuiltReport, buildReport } from './build-report.js';
export { allCharts, type ChartSpec, type ChartStack } from './charts.js';
export {
  type CompareOptions,
  type Comparison,
  compareSets,
  type DeltaRow,
  formatComparison,
  hostClass,
  incomparability,
  type MetricDelta,
  regressionsBeyond,
} from './compare.js';
export { ChartRenderError, IncomparableSetsError, ResultSetError } from './errors.js';
export { renderMarkdown } from './markdown.js';
export {
  type ResultSet,
  readManifest,
  readResultSet,
  readStackResult,
  stackFileName,
} from './read-set.js';
export { renderSvg } from './render-svg.js';
export { type CycleRow, cycleFigures, stackRows } from './rows.js';
export {
  type HostFacts,
  type Lifecycle,
  MANIFEST_SCHEMA,
  type Manifest,
  type ManifestStack,
  type Placement,
  type ProfileSettings,
  type ServerSample,
  type ServerSummary,
  type ServiceTime,
  STACK_RESULT_SCHEMA,
  type StackResult,
  type StackRun,
  type StackStatus,
  type Verification,
} from './schema.js';
export { JSON_DECIMALS, stableStringify } from './stable-json.js';
export { validateManifest, validateStackResult } from './validate.js';
export { writeFileAtomic, writeJsonAtomic } from './write-atomic.js';
