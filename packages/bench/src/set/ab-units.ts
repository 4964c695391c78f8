/**
 * The units of an A/B set (`bench:ab`): every unit of the set twice, `STACK@base` built from the
 * base commit's worktree (its own stack file, `{root}` and `{stacks}` there) and `STACK@head`
 * from the head's, side by side in the same rounds. A side may set the app's parameters
 * (`--head-env`: a known change, to prove the verdict sees it).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { abName } from '@stackbench/report';
import type { AbRecord, AbSide } from '@stackbench/result';
import { AbError } from '../errors.js';
import { loadStacks, type StackDefinition } from '../stack/stack-def.js';
import type { StackUnit } from '../stack/stack-units.js';

/** One side as the set runs it: the record plus where its workspace is. */
export interface AbSideInput extends AbSide {
  root: string;
  stacksDir: string;
}

export interface AbInput {
  base: AbSideInput;
  head: AbSideInput;
}

/** Versions of the workspace's own packages (packages/NAME/package.json), as that build has them. */
export function workspaceVersions(root: string): Record<string, string> {
  const out: Record<string, string> = {};
  const dir = join(root, 'packages');
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    const file = join(dir, entry.name, 'package.json');
    if (!existsSync(file)) continue;
    const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
    if (pkg.name) out[pkg.name] = pkg.version ?? 'unknown';
  }
  return out;
}

/**
 * `units` (the head workspace's) with each one's base beside it, base first. The base's stack
 * file is read from the base's stacks dir: a stack the base commit does not have is an error.
 */
export function withAb(units: readonly StackUnit[], ab: AbInput, sameRoot: string): StackUnit[] {
  const fileNames = [...new Set(units.map((u) => u.stack.base ?? u.stack.name))];
  let baseDefs: Map<string, StackDefinition>;
  try {
    baseDefs = new Map(loadStacks(ab.base.stacksDir, fileNames).map((d) => [d.name, d]));
  } catch (error) {
    throw new AbError(
      `the base ${ab.base.ref} (${ab.base.commit.slice(0, 12)}) cannot run every chosen stack: ${(error as Error).message}; choose stacks both sides have with --stacks`,
    );
  }
  const side = (s: AbSideInput) =>
    s.root === sameRoot ? {} : { workspace: { root: s.root, stacksDir: s.stacksDir } };
  return units.flatMap((unit): StackUnit[] => {
    const s = unit.stack;
    // loadStacks has read every name or thrown
    const def = baseDefs.get(s.base ?? s.name) as StackDefinition;
    return [
      {
        ...unit,
        stack: {
          ...def,
          name: abName(s.name, 'base'),
          title: `${s.title} (base ${ab.base.commit.slice(0, 12)})`,
          base: s.base ?? s.name,
          runtime: s.runtime ?? null,
          appEnv: { ...s.appEnv, ...ab.base.env },
          ...side(ab.base),
        },
      },
      {
        ...unit,
        stack: {
          ...s,
          name: abName(s.name, 'head'),
          title: `${s.title} (head ${ab.head.commit.slice(0, 12)}${ab.head.dirty ? ', with changes' : ''})`,
          base: s.base ?? s.name,
          appEnv: { ...s.appEnv, ...ab.head.env },
          ...side(ab.head),
        },
      },
    ];
  });
}

/** The record the manifest keeps of both sides (no paths: a worktree is gone after the run). */
export function abRecord(ab: AbInput, units: readonly StackUnit[]): AbRecord {
  const strip = ({ root: _r, stacksDir: _s, ...side }: AbSideInput): AbSide => side;
  return { base: strip(ab.base), head: strip(ab.head), stacks: units.map((u) => u.stack.name) };
}

/** [base, head] names of each stack, for the schedule's couples. */
export function abCouples(ab: AbRecord): [string, string][] {
  return ab.stacks.map((s) => [abName(s, 'base'), abName(s, 'head')]);
}
