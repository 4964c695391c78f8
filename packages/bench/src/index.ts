export { expectationFor } from './app-expectations.js';
export {
  InterruptedError,
  OutputNotWritableError,
  PortBusyError,
  ProfileError,
  ResumeError,
  StackDefinitionError,
  StackRunError,
  UnknownStackError,
} from './errors.js';
export { hostSlug, localHostFacts } from './host-facts.js';
export { localTarget } from './local-target.js';
export {
  type MatrixOptions,
  type MatrixOutcome,
  plannedWindowSeconds,
  runMatrix,
} from './matrix.js';
export { measureCapacity, measureWindow } from './measure-window.js';
export { matrixCommand, matrixOptions } from './options.js';
export { MIN_CORES_TO_PIN, planPlacement } from './placement.js';
export {
  listProfiles,
  type Overrides,
  profileHash,
  type ResolvedProfile,
  resolveProfile,
} from './profiles.js';
export { createProgress, type ProgressSink } from './progress.js';
export { missingRequirement, onPath } from './requirements.js';
export { newSeed, type PlannedRound, type PlannedWindow, planSchedule } from './schedule.js';
export {
  listStacks,
  loadStacks,
  type ProcessDefinition,
  parseStackDefinition,
  type StackDefinition,
} from './stack-def.js';
export {
  closeSession,
  openSession,
  type RunContext,
  type StackSession,
  templateValues,
  warmUp,
} from './stack-session.js';
export type {
  LaunchOptions,
  ProcessLaunch,
  ProcessSnapshot,
  RunningStack,
  StopOutcome,
  Target,
} from './target.js';
export { PLACEHOLDERS, render } from './template.js';
export { offeredRate, openWindowOptions, windowLoadOptions } from './window-load.js';
export { balanceOf, cpuMsByPid, establishedByPid, servingWorkers } from './worker-balance.js';
