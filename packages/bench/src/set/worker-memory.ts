/**
 * stacks/worker-memory.json, as `npm run bench:worker-rss` writes it: each stack's memory (PSS of
 * its process tree) as base + per worker, measured on one host, and the orchestrator's own. A
 * stack it does not list (a new one, or skipped where it was measured) is assumed to need as
 * much as the hungriest listed one; with no file at all, a fixed figure, and the budget says so.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { WorkerMemoryFileError } from '../errors.js';

export interface StackMemory {
  baseMb: number;
  perWorkerMb: number;
}

export interface WorkerMemory {
  /** Where the figures come from, for the budget's notes. */
  source: string;
  orchestratorMb: number;
  stacks: Map<string, StackMemory>;
}

export const WORKER_MEMORY_FILE = 'worker-memory.json';

// with no measurement: a Node master and workers as bench:worker-rss found them on its first
// host, rounded up
const UNMEASURED: StackMemory = { baseMb: 100, perWorkerMb: 60 };
const UNMEASURED_ORCHESTRATOR_MB = 150;

const isMb = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 0;

export function readWorkerMemory(stacksDir: string): WorkerMemory {
  const file = join(stacksDir, WORKER_MEMORY_FILE);
  if (!existsSync(file)) {
    return {
      source: `no ${file} (npm run bench:worker-rss writes it): ${UNMEASURED.baseMb} MB + ${UNMEASURED.perWorkerMb} MB per worker assumed`,
      orchestratorMb: UNMEASURED_ORCHESTRATOR_MB,
      stacks: new Map(),
    };
  }
  let doc: Record<string, unknown>;
  try {
    doc = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  } catch (error) {
    throw new WorkerMemoryFileError(
      file,
      'the file',
      `does not parse: ${(error as Error).message}`,
    );
  }
  if (!isMb(doc.orchestratorMb)) {
    throw new WorkerMemoryFileError(file, 'orchestratorMb', 'must be a number of MB ≥ 0');
  }
  const stacks = new Map<string, StackMemory>();
  const entries = typeof doc.stacks === 'object' && doc.stacks !== null ? doc.stacks : {};
  for (const [name, entry] of Object.entries(entries as Record<string, Record<string, unknown>>)) {
    if (entry.skipped !== undefined) continue;
    if (!isMb(entry.baseMb) || !isMb(entry.perWorkerMb)) {
      throw new WorkerMemoryFileError(
        file,
        `stacks.${name}`,
        'needs baseMb and perWorkerMb, numbers of MB ≥ 0 (or skipped: a reason)',
      );
    }
    stacks.set(name, { baseMb: entry.baseMb, perWorkerMb: entry.perWorkerMb });
  }
  const when = typeof doc.date === 'string' ? doc.date.slice(0, 10) : 'undated';
  return {
    source: `${file} (${typeof doc.host === 'string' ? doc.host : 'a host'}, ${when})`,
    orchestratorMb: doc.orchestratorMb,
    stacks,
  };
}

/** The figure of a stack file's name, or the assumption for one not measured. */
export function stackMemory(
  memory: WorkerMemory,
  stackFile: string,
): StackMemory & { measured: boolean } {
  const known = memory.stacks.get(stackFile);
  if (known) return { ...known, measured: true };
  const all = [...memory.stacks.values()];
  if (all.length === 0) return { ...UNMEASURED, measured: false };
  return {
    baseMb: Math.max(...all.map((m) => m.baseMb)),
    perWorkerMb: Math.max(...all.map((m) => m.perWorkerMb)),
    measured: false,
  };
}
