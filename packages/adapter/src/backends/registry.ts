/**
 * The backends, by name: a `switch` picks one, an unknown name lists the valid ones. Each
 * implementation is imported only when chosen (the node backend never loads piscina).
 */
import { UnknownBackendError } from '../errors.js';
import type { BackendDefinition, BackendName } from './backend.js';

export const backendNames: readonly BackendName[] = ['node', 'threads'];

const summaries: Record<BackendName, string> = {
  node: 'node:http on the main thread: keep-alive, streaming requests and responses',
  threads:
    'node:http front, handlers on a piscina pool of --threads worker threads (buffered bodies)',
};

export async function backendDefinition(name: string): Promise<BackendDefinition> {
  switch (name) {
    case 'node':
      return (await import('./node.js')).nodeBackend;
    case 'threads':
      return (await import('./threads.js')).threadsBackend;
    default:
      throw new UnknownBackendError(name, backendNames);
  }
}

/** `--help` epilog lines: one per backend. */
export function describeBackends(): string {
  return backendNames.map((name) => `  ${name.padEnd(9)}${summaries[name]}`).join('\n');
}
