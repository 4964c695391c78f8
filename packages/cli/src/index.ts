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
export { findSetpriv, parentDeathPrefix } from './parent-death.js';
export { writeFileNoFollow } from './private-file.js';
export { checkReadmeSection, type ReadmeSectionResult } from './readme-section.js';
export { type CliMain, runCli } from './run-cli.js';
export { MAX_TIMER_MS, MAX_TIMER_SECONDS, timerSecondsProblem } from './timer-bound.js';
