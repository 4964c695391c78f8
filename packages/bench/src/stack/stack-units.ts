/**
 * The units a set measures: each stack paired with each runtime of the set. A set that names its
 * runtimes (`--runtimes`, the profile's `runtimes`) calls each pair `STACK@RUNTIME` (result sets,
 * report and compare treat it as one stack); a set that does not runs each stack on the Node
 * running the matrix under the stack's own name, as before. A stack that runs no JavaScript
 * runtime (gunicorn) is one unit whatever the runtimes. A pairing the stack does not support, or a
 * runtime that is not installed, is a unit with the reason it is skipped.
 */
import { engineOf, HOST_RUNTIME, type Runtime, resolveRuntimes } from '@stackbench/runtimes';
import type { StackDefinition } from './stack-def.js';
import { runtimeSkipReason } from './stack-runtimes.js';

export interface StackUnit {
  stack: StackDefinition;
  /** The runtime asked for (installed or not); null for a stack that runs none. */
  runtimeName: string | null;
  /** Why the unit is not measured, or null. */
  skip: string | null;
}

/** What the manifest and the stack file record of a unit's runtime. */
export interface RuntimeRecord {
  name: string;
  engine: string;
  /** As the binary printed it; null when it is not installed. */
  version: string | null;
  /** Registry package and whose build; null when it is not installed. */
  source: string | null;
}

/** The unit's runtime as recorded; null for a stack that runs none. */
export function runtimeRecord(unit: StackUnit): RuntimeRecord | null {
  const r = unit.stack.runtime;
  if (r) return { name: r.name, engine: r.engine, version: r.version, source: r.source };
  if (unit.runtimeName === null) return null;
  const engine = engineOf(unit.runtimeName) ?? 'node';
  return { name: unit.runtimeName, engine, version: null, source: null };
}

const withHint = (reason: string | null, hint: string) => (reason ? `${reason}${hint}` : null);

export async function stackUnits(
  defs: readonly StackDefinition[],
  runtimeNames: readonly string[] | undefined,
  root: string,
): Promise<StackUnit[]> {
  const named = runtimeNames !== undefined;
  const names = runtimeNames ?? [HOST_RUNTIME];
  const resolved = await resolveRuntimes(root, names);
  const units: StackUnit[] = [];
  for (const def of defs) {
    if (def.runtimes.supported.length === 0) {
      units.push({
        stack: { ...def, runtime: null, base: def.name },
        runtimeName: null,
        skip: null,
      });
      continue;
    }
    for (const name of names) {
      const found = resolved.get(name) as Runtime | Error;
      const runtime = found instanceof Error ? null : found;
      const stack: StackDefinition = {
        ...def,
        name: named ? `${def.name}@${name}` : def.name,
        title: named ? `${def.title} on ${name}` : def.title,
        base: def.name,
        runtime,
      };
      const engine = engineOf(name) ?? 'node';
      // a set that names no runtimes runs on this Node: say how to reach the stack's own runtime
      const hint = named
        ? ''
        : `; name its runtime: --runtimes ${def.runtimes.supported.join(',')}`;
      const skip = !def.runtimes.supported.includes(engine)
        ? `${runtimeSkipReason(def.runtimes, { name, engine, binary: '', version: '', source: '' })}${hint}`
        : runtime
          ? withHint(
              runtimeSkipReason(def.runtimes, runtime),
              named ? '' : '; name a newer one: --runtimes node24',
            )
          : (found as Error).message;
      units.push({ stack, runtimeName: name, skip });
    }
  }
  return units;
}
