export {
  CATALOG,
  type CatalogEntry,
  ENGINES,
  type Engine,
  engineOf,
  HOST_RUNTIME,
  RUNTIME_NAMES,
} from './catalog.js';
export { RuntimeMissingError, UnknownRuntimeError } from './errors.js';
export {
  checkRuntimeNames,
  hostRuntime,
  type Runtime,
  resolveRuntime,
  resolveRuntimes,
  runtimesDir,
} from './resolve.js';
export { atLeast, versionNumbers } from './version.js';
