/** Public API of @stackbench/adapter (prefork runs its cluster workers with it). */

export type { WorkerCounters } from '@stackbench/protocol';
export type { BackendName } from './backends/backend.js';
export { claimUncaughtFault } from './backends/node.js';
export { backendNames } from './backends/registry.js';
export * from './errors.js';
export { formatTarget, type ListenTarget } from './listen-target.js';
export { loadApp, loadExport, type RequestListener } from './load-app.js';
export { type RunningServer, type ServeOptions, serve } from './serve.js';
