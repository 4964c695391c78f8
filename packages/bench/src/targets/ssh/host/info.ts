/**
 * What the orchestrator asks the host about itself: its facts for the manifest, and whether a
 * stack can run there (requirements and versions, checked with the host's own PATH and files).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { missingRequirement } from '../../../stack/requirements.js';
import { loadStacks } from '../../../stack/stack-def.js';
import { workspaceValues } from '../../../stack/template-values.js';
import { stackVersions } from '../../../stack/versions.js';
import { localHostFacts } from '../../local/host-facts.js';
import { hostLoadBefore } from '../../local/host-load.js';

/** The host's facts, its load sampled over the second before (as a local set records it). */
export async function facts(root: string) {
  const facts = { ...(await localHostFacts()), loadBefore: await hostLoadBefore() };
  return { facts, node: process.execPath, root, tmpdir: tmpdir() };
}

export async function stackCheck(root: string, name: string, host: string) {
  const stacksDir = join(root, 'stacks');
  const [stack] = loadStacks(stacksDir, [name]);
  if (!stack) throw new Error(`no stack ${name} in ${stacksDir}`);
  const missing = await missingRequirement(stack, workspaceValues({ root, stacksDir, host }));
  return { missing, versions: missing ? {} : await stackVersions(stack, root) };
}

/** Run dirs are named as run-dir.ts names them, under the host's temp dir: nothing else is touched. */
const RUN_DIR = /^stackbench-[A-Za-z0-9_.-]+-[A-Za-z0-9]{6}$/;

function checkRunDir(dir: string): string {
  if (dirname(dir) !== tmpdir() || !RUN_DIR.test(basename(dir))) {
    throw new Error(`${dir} is not a stackbench run dir under ${tmpdir()}`);
  }
  return dir;
}

export function makeRunDir(stackName: string): string {
  return mkdtempSync(join(tmpdir(), `stackbench-${stackName.replace(/[^A-Za-z0-9_.-]/g, '_')}-`));
}

export function writeRunFile(dir: string, name: string, text: string): void {
  if (!/^[A-Za-z0-9_.-]+$/.test(name)) throw new Error(`bad file name ${name}`);
  writeFileSync(join(checkRunDir(dir), name), text);
}

export function removeRunDir(dir: string): void {
  rmSync(checkRunDir(dir), { recursive: true, force: true });
}
