/**
 * The matrix: every stack of the profile, one at a time, `repeat` times in alternating order,
 * written into a result set as it goes (each stack file as soon as its run ends, the manifest
 * after every change), then the report. Bad input fails before any load.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  buildReport,
  MANIFEST_SCHEMA,
  type Manifest,
  type ManifestStack,
  readManifest,
  readStackResult,
  STACK_RESULT_SCHEMA,
  type StackResult,
  stackFileName,
} from '@stackbench/report';
import { InterruptedError, PortBusyError, ResumeError } from './errors.js';
import { suiteRevision } from './git-info.js';
import { pinSelf } from './pin-self.js';
import { planPlacement } from './placement.js';
import { planRuns } from './plan.js';
import { type Overrides, resolveProfile } from './profiles.js';
import type { ProgressSink } from './progress.js';
import { missingRequirement, onPath } from './requirements.js';
import {
  prepareSetDirectory,
  setDirectory,
  setTimestamp,
  writeManifest,
  writeStackResult,
} from './result-set.js';
import { type RunContext, runStack, templateValues } from './run-stack.js';
import { appServiceTime } from './service-time.js';
import { listStacks, loadStacks } from './stack-def.js';
import { checkStackRender } from './stack-render.js';
import type { Target } from './target.js';
import { stackVersions } from './versions.js';

export interface MatrixOptions {
  root: string;
  stacksDir: string;
  outRoot: string;
  profile?: string;
  overrides: Overrides;
  /** The overrides as typed, for the manifest. */
  overridesText: Record<string, string>;
  port: number;
  resume?: string;
  target: Target;
  signal: AbortSignal;
  progress: (plannedStackS: number, runs: number) => ProgressSink;
}

export interface MatrixOutcome {
  dir: string;
  manifest: Manifest;
}

/** Seconds one stack run is planned to take, with an allowance for start, verify and stop. */
export function plannedStackSeconds(m: Manifest['profile']['settings']): number {
  const perCycle = m.cycleWarmupS + m.durationS + m.pauseS;
  return 4 + m.warmupS + m.cycles.length * perCycle;
}

async function freshManifest(opts: MatrixOptions): Promise<{ dir: string; manifest: Manifest }> {
  const host = await opts.target.hostFacts();
  const profile = resolveProfile(
    opts.stacksDir,
    opts.profile,
    host.cores,
    opts.overrides,
    listStacks(opts.stacksDir),
  );
  const startedAt = new Date();
  const setId = `${setTimestamp(startedAt)}-${profile.name}`;
  const dir = setDirectory(opts.outRoot, host.slug, setId);
  return {
    dir,
    manifest: {
      schema: MANIFEST_SCHEMA,
      setId,
      suite: await suiteRevision(opts.root),
      profile: { name: profile.name, hash: profile.hash, settings: profile.settings },
      overrides: opts.overridesText,
      host,
      placement: planPlacement(host.cores, onPath('taskset')),
      serviceTime: null,
      stacks: [],
      startedAt: startedAt.toISOString(),
      endedAt: null,
      complete: false,
    },
  };
}

function resumeManifest(
  opts: MatrixOptions,
  hostSlug: string,
): { dir: string; manifest: Manifest } {
  const dir = resolve(opts.resume as string);
  const manifest = readManifest(dir);
  if (manifest.complete) throw new ResumeError(`${dir} is complete already; nothing to resume`);
  if (manifest.host.slug !== hostSlug) {
    throw new ResumeError(`${dir} was measured on host ${manifest.host.slug}, this is ${hostSlug}`);
  }
  if (Object.keys(opts.overridesText).length || opts.profile) {
    throw new ResumeError(
      '--resume takes the profile and overrides from the set; do not pass them again',
    );
  }
  return { dir, manifest };
}

export async function runMatrix(opts: MatrixOptions): Promise<MatrixOutcome> {
  const host = await opts.target.hostFacts();
  const { dir, manifest } = opts.resume
    ? resumeManifest(opts, host.slug)
    : await freshManifest(opts);
  const settings = manifest.profile.settings;
  const stacks = loadStacks(opts.stacksDir, settings.stacks);
  // A value no config can hold (a line break in a path, a bad app) is exit 2 before any load.
  for (const stack of stacks) {
    checkStackRender(
      stack,
      templateValues({ root: opts.root, stacksDir: opts.stacksDir, settings }, 1, 1, ''),
      settings.appEnv,
    );
  }
  if (opts.port !== 0 && !(await opts.target.portFree(opts.port)))
    throw new PortBusyError(opts.port);
  prepareSetDirectory(dir);

  // results so far (resume) and the manifest entries, in profile order
  const results = new Map<string, StackResult>();
  const entries = new Map<string, ManifestStack>(manifest.stacks.map((s) => [s.name, s]));
  for (const stack of stacks) {
    const file = join(dir, stackFileName(stack.name));
    if (opts.resume && existsSync(file)) results.set(stack.name, readStackResult(file));
    if (!entries.has(stack.name)) {
      const reason = await missingRequirement(
        stack,
        templateValues({ root: opts.root, stacksDir: opts.stacksDir, settings }, 0, 0, ''),
      );
      entries.set(stack.name, {
        name: stack.name,
        title: stack.title,
        reference: stack.reference,
        status: reason ? 'skipped' : 'pending',
        reason,
        versions: reason ? {} : await stackVersions(stack, opts.root),
      });
    }
  }
  const save = () => {
    manifest.stacks = stacks.map((s) => entries.get(s.name) as ManifestStack);
    manifest.complete = manifest.stacks.every((s) => s.status !== 'pending');
    manifest.endedAt = manifest.complete ? new Date().toISOString() : null;
    writeManifest(dir, manifest);
  };
  if (manifest.placement.pinned && manifest.placement.driverCpus)
    await pinSelf(manifest.placement.driverCpus);
  if (!opts.resume) manifest.serviceTime = await appServiceTime(settings);
  save();

  const plan = planRuns(
    stacks,
    settings.repeat,
    (name) => entries.get(name)?.status === 'pending',
    (name, r) => results.get(name)?.runs.some((run) => run.repeat === r) ?? false,
  );
  const progress = opts.progress(plannedStackSeconds(settings), plan.length);
  const ctx: RunContext = {
    target: opts.target,
    root: opts.root,
    stacksDir: opts.stacksDir,
    settings,
    placement: manifest.placement,
    port: opts.port,
    signal: opts.signal,
    progress,
  };
  let position = 0;
  for (const { stack, repeat } of plan) {
    if (opts.signal.aborted) break;
    // A stack that failed in an earlier round stays failed: its later rounds are not run.
    if (entries.get(stack.name)?.status !== 'pending') continue;
    progress.stackStart(stack.name, ++position, plan.length, repeat);
    const run = await runStack(stack, repeat, ctx);
    // an interrupted run is not kept: --resume runs it again
    if (opts.signal.aborted) {
      progress.stackEnd(stack.name, 'interrupted');
      break;
    }
    const result: StackResult = results.get(stack.name) ?? {
      schema: STACK_RESULT_SCHEMA,
      stack: {
        name: stack.name,
        title: stack.title,
        description: stack.description,
        reference: stack.reference,
      },
      runs: [],
    };
    result.runs = [...result.runs, run].sort((a, b) => a.repeat - b.repeat);
    results.set(stack.name, result);
    writeStackResult(dir, result);
    const entry = entries.get(stack.name) as ManifestStack;
    if (run.status === 'failed') {
      entry.status = 'failed';
      entry.reason = run.error;
    } else if (result.runs.length >= settings.repeat) {
      entry.status = 'complete';
    }
    save();
    progress.stackEnd(stack.name, run.status === 'complete' ? 'done' : `FAILED: ${run.error}`);
  }
  if (opts.signal.aborted) throw new InterruptedError(dir);
  await buildReport(dir);
  return { dir, manifest };
}
