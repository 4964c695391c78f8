export { expectationFor } from './app-expectations.js';
export { cpuMsByPid } from './cpu-time.js';
export {
  DriverError,
  HostsFileError,
  InterruptedError,
  OutputNotWritableError,
  PortBusyError,
  ProfileError,
  ProvisionError,
  ResumeError,
  SshError,
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
export { type ClockReading, measureClock } from './remote/clock.js';
export { splitLoad, splitUsers } from './remote/driver-split.js';
export { DEFAULT_LEAD_MS, type DriverHost, driverLoad } from './remote/drivers.js';
export {
  type HostEntry,
  type HostsFile,
  parseHostsFile,
  readHostsFile,
} from './remote/hosts-file.js';
export {
  type DriverShare,
  type MergedLoadResult,
  mergeCycles,
  mergeDriverResults,
} from './remote/merge-load.js';
export { provisionHost, provisionHosts } from './remote/provision.js';
export { openRemote, type RemoteSetup } from './remote/remote-setup.js';
export { SshHost } from './remote/ssh.js';
export { sshTarget } from './remote/ssh-target.js';
export type { RemoteWorkspace } from './remote/workspace.js';
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
  warmUp,
} from './stack-session.js';
export type {
  LaunchOptions,
  ProcessLaunch,
  ProcessSnapshot,
  RunDir,
  RunningStack,
  StopOutcome,
  Target,
  WorkerProbe,
  Workspace,
} from './target.js';
export { PLACEHOLDERS, render } from './template.js';
export { offeredRate, openWindowOptions, windowLoadOptions } from './window-load.js';
export { balanceOf, establishedByPid, servingWorkers } from './worker-balance.js';
