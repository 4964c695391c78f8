/**
 * The result-set contract: `manifest.json` and `<stack>.json`, declared once as TypeBox schemas;
 * the types are `Static<>` of them and the validator checks documents against them.
 */
export { type HostBudget, HostBudgetSchema } from './budget.js';
export {
  type DriverCeiling,
  DriverCeilingSchema,
  type HostCeiling,
  HostCeilingSchema,
} from './driver-ceiling.js';
export {
  type DriverInfo,
  DriverInfoSchema,
  type HostFacts,
  HostFactsSchema,
  type HostLoad,
  HostLoadSchema,
  type Placement,
  PlacementSchema,
  type RuntimeInfo,
  RuntimeInfoSchema,
  type ServiceTime,
  ServiceTimeSchema,
  type Topology,
  type TopologyHost,
  TopologyHostSchema,
  TopologySchema,
} from './host.js';
export { READABLE_LOAD_SCHEMAS } from './load-checks.js';
export {
  type AbRecord,
  AbRecordSchema,
  type AbSide,
  AbSideSchema,
  LEGACY_MANIFEST_SCHEMA,
  MANIFEST_SCHEMA,
  type Manifest,
  ManifestSchema,
  type ManifestStack,
  ManifestStackSchema,
  type SetDatabase,
  SetDatabaseSchema,
  type StackStatus,
  StackStatusSchema,
} from './manifest.js';
export {
  type AdaptiveRecord,
  AdaptiveRecordSchema,
  type CellRef,
  CellRefSchema,
  type ExtraRound,
  ExtraRoundSchema,
  type Method,
  MethodSchema,
  type Rerun,
  RerunSchema,
  type WindowRef,
  WindowRefSchema,
} from './method.js';
export { isObject } from './problems.js';
export {
  type AdaptiveSettings,
  AdaptiveSettingsSchema,
  type ConnectionMode,
  ConnectionModeSchema,
  type DatabaseSettings,
  DatabaseSettingsSchema,
  type DisturbanceSettings,
  DisturbanceSettingsSchema,
  type ProfileSettings,
  ProfileSettingsSchema,
  type TwinOf,
  TwinOfSchema,
  type WindowSizingSettings,
  WindowSizingSettingsSchema,
  type WorkloadName,
  WorkloadNameSchema,
} from './settings.js';
export {
  LEGACY_STACK_RESULT_SCHEMA,
  type Lifecycle,
  LifecycleSchema,
  type ServerSummary,
  ServerSummarySchema,
  STACK_RESULT_SCHEMA,
  type StackResult,
  StackResultSchema,
  type StackRun,
  StackRunSchema,
  type StackWarmup,
  StackWarmupSchema,
  type Verification,
  VerificationSchema,
} from './stack-result.js';
export { validateManifest, validateStackResult } from './validate.js';
export {
  type SampleWindow,
  SampleWindowSchema,
  type ServerSample,
  ServerSampleSchema,
  type WindowBalance,
  WindowBalanceSchema,
  type WindowDatabase,
  WindowDatabaseSchema,
  type WindowNoise,
  WindowNoiseSchema,
  type WorkerShare,
  WorkerShareSchema,
} from './window.js';
