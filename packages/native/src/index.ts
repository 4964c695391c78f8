export { bunListen } from './bun-listen.js';
export { denoListen } from './deno-listen.js';
export { NativeListenError, NoFetchFaceError, WrongRuntimeError } from './errors.js';
export { loadFetchApp } from './fetch-app.js';
export {
  type ListenRequest,
  type NativeEntry,
  type NativeListen,
  type NativeServer,
  runNativeServer,
} from './native-server.js';
export { nativeCommand, nativeOptions } from './options.js';
export { runningRuntime } from './runtime-globals.js';
