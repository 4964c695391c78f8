export { writeFileAtomic } from './atomic-file.js';
export { messageOf, StackbenchError, UsageError } from './errors.js';
export { type HostPort, splitHostPort } from './host-port.js';
export {
  type BooleanOption,
  type CommandDescription,
  flagName,
  formatHelp,
  formatOptionsMarkdown,
  type IntegerOption,
  type ListOption,
  type NumberOption,
  type OptionSpec,
  type OptionTable,
  type OptionValues,
  type ParsedCommandLine,
  parseCommandLine,
  type StringOption,
} from './option-table.js';
export { outputWriteProblem } from './output-writable.js';
export { findSetpriv, parentDeathPrefix } from './parent-death.js';
export { checkReadmeSection, type ReadmeSectionResult } from './readme-section.js';
export { type CliMain, runCli } from './run-cli.js';
export { AddressInUseError, AppLoadError, type RaisedBy } from './server-errors.js';
export { MAX_TIMER_MS, MAX_TIMER_SECONDS, timerSecondsProblem } from './timer-bound.js';
export { WorkspaceRootError, workspaceRoot } from './workspace-root.js';
