/**
 * A stack file's `[runtimes]` table: the engines it runs on (node, bun, deno), the lowest version
 * it needs, and why it does not run on the others. The matrix pairs each stack with each runtime
 * of the set (stack-units.ts); a pairing the stack does not support is skipped with this reason.
 */
import { atLeast, ENGINES, type Engine, type Runtime } from '@stackbench/runtimes';
import { readKeys } from '../settings/key-reader.js';
import { STACK_TABLE } from '../settings/stack-table.js';
import type { Fail, Table } from '../settings/toml-fields.js';

export interface StackRuntimes {
  /** Engines the stack runs on; empty: no JavaScript runtime (gunicorn), one run per set. */
  supported: Engine[];
  /** Lowest version of the runtime, as `22.12`, with the reason; null: any. */
  minVersion: { version: string; why: string } | null;
  /** Why not each engine it does not support. */
  unsupported: Partial<Record<Engine, string>>;
}

/** Stacks without a `[runtimes]` table: Node's stacks, any version. */
export const NODE_ONLY: StackRuntimes = { supported: ['node'], minVersion: null, unsupported: {} };

export function readStackRuntimes(doc: Table, fail: Fail): StackRuntimes {
  if (doc.runtimes === undefined) return NODE_ONLY;
  const t = readKeys(doc.runtimes as Table, STACK_TABLE.runtimes, 'runtimes.', fail);
  const supported = t.supported ?? [];
  for (const [i, engine] of supported.entries()) {
    if (!(ENGINES as readonly string[]).includes(engine)) {
      fail(`runtimes.supported[${i}]`, `unknown engine ${engine}; valid: ${ENGINES.join(', ')}`);
    }
  }
  const unsupported = t.unsupported ?? {};
  for (const engine of Object.keys(unsupported)) {
    if (!(ENGINES as readonly string[]).includes(engine)) {
      fail(`runtimes.unsupported.${engine}`, `unknown engine; valid: ${ENGINES.join(', ')}`);
    }
    if (supported.includes(engine)) {
      fail(`runtimes.unsupported.${engine}`, 'is also in runtimes.supported');
    }
  }
  if (supported.length) {
    const unexplained = ENGINES.filter((e) => !supported.includes(e) && !unsupported[e]);
    if (unexplained.length) {
      fail(
        'runtimes.unsupported',
        `say why the stack does not run on ${unexplained.join(', ')} (a reason per engine not in runtimes.supported)`,
      );
    }
  }
  let minVersion: StackRuntimes['minVersion'] = null;
  if (t.min_version !== undefined) {
    if (!/^\d+(\.\d+){0,2}$/.test(t.min_version)) {
      fail('runtimes.min_version', `${JSON.stringify(t.min_version)} is not a version like 22.12`);
    }
    if (t.min_version_why === undefined)
      fail('runtimes.min_version_why', 'must be a non-empty string');
    minVersion = { version: t.min_version, why: t.min_version_why as string };
  } else if (t.min_version_why !== undefined) {
    fail('runtimes.min_version_why', 'needs runtimes.min_version');
  }
  return { supported: supported as Engine[], minVersion, unsupported };
}

/** Why `stack` cannot run on `runtime`, or null when it can. */
export function runtimeSkipReason(runtimes: StackRuntimes, runtime: Runtime): string | null {
  if (!runtimes.supported.includes(runtime.engine)) {
    const why = runtimes.unsupported[runtime.engine];
    return `does not run on ${runtime.engine}${why ? `: ${why}` : ` (runs on ${runtimes.supported.join(', ')})`}`;
  }
  const min = runtimes.minVersion;
  if (min && !atLeast(runtime.version, min.version)) {
    return `needs ${runtime.engine} >= ${min.version} (${min.why}); ${runtime.name} is ${runtime.version}`;
  }
  return null;
}
