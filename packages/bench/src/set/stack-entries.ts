/**
 * Each stack's manifest entry at the start of a set (skipped with the reason, or pending with its
 * versions and runtime), and on --resume the stacks' files read back.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { abSideOf, readStackResult, stackFileName } from '@stackbench/report';
import type { Manifest, ManifestStack, StackResult } from '@stackbench/result';
import { missingRequirement } from '../stack/requirements.js';
import { runtimeRecord, type StackUnit } from '../stack/stack-units.js';
import { whereOf, workspaceValues } from '../stack/template-values.js';
import { TWIN_SUFFIX } from '../stack/twin.js';
import { stackVersions } from '../stack/versions.js';
import type { SetInputs } from './set-manifest.js';

/** The stacks' files read back on --resume, and each stack's manifest entry (skipped or pending). */
export async function stackEntries(
  opts: SetInputs,
  units: StackUnit[],
  manifest: Manifest,
  dir: string,
): Promise<{ results: Map<string, StackResult>; entries: Map<string, ManifestStack> }> {
  const results = new Map<string, StackResult>();
  const entries = new Map<string, ManifestStack>(manifest.stacks.map((s) => [s.name, s]));
  for (const unit of units) {
    const { stack, skip } = unit;
    const file = join(dir, stackFileName(stack.name));
    if (opts.resume && existsSync(file)) results.set(stack.name, readStackResult(file));
    if (!entries.has(stack.name)) {
      // a remote target checks where the stack will run
      const checked = skip
        ? { missing: skip, versions: null }
        : opts.target.checkStack
          ? await opts.target.checkStack(stack.name)
          : {
              missing: await missingRequirement(
                stack,
                workspaceValues(whereOf(opts, stack), stack.runtime),
              ),
              versions: null,
            };
      const reason = checked.missing;
      entries.set(stack.name, {
        name: stack.name,
        title: stack.title,
        reference: stack.reference,
        status: reason ? 'skipped' : 'pending',
        reason,
        versions: reason
          ? {}
          : (checked.versions ?? (await stackVersions(stack, stack.workspace?.root ?? opts.root))),
        ...(Object.keys(stack.keepAlive).length ? { keepAlive: stack.keepAlive } : {}),
        ...(stack.base && stack.base !== stack.name ? { stack: stack.base } : {}),
        ...(stack.name.endsWith(TWIN_SUFFIX) && manifest.profile.settings.twin
          ? { twin: manifest.profile.settings.twin }
          : {}),
        ...(manifest.ab ? abEntry(stack.name) : {}),
        runtime: runtimeRecord(unit),
      });
    }
  }
  return { results, entries };
}

function abEntry(name: string): Pick<ManifestStack, 'ab'> {
  const side = abSideOf(name);
  return side ? { ab: side } : {};
}
