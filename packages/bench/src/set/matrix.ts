/**
 * The matrix: the profile's stacks measured in rounds of sample windows (schedule.ts), each
 * stack file written as soon as a round ends and the manifest after every change, then the
 * report. Bad input fails before any load. An interrupted round is discarded; `--resume` runs
 * the rounds not yet in the set, in the order planned from the recorded seed.
 */
import { buildReport, writeResultsIndex, writeSetCompare } from '@stackbench/report';
import type { Manifest, ManifestStack, StackResult } from '@stackbench/result';
import { AbError, InterruptedError, PortBusyError, ProfileError } from '../errors.js';
import { profileLevels } from '../profile/profile-load.js';
import type { RunContext } from '../session/stack-session.js';
import { plannedWarmupS } from '../session/stack-warmup.js';
import { loadStacks, type StackDefinition } from '../stack/stack-def.js';
import { checkStackRender } from '../stack/stack-render.js';
import { stackUnits } from '../stack/stack-units.js';
import { sessionValues, whereOf, workspaceValues } from '../stack/template-values.js';
import { withTwin } from '../stack/twin.js';
import type { NamedDatabase } from '../targets/ssh/hosts-file.js';
import { type AbInput, abCouples, abRecord, withAb } from './ab-units.js';
import { beforeLoad } from './before-load.js';
import { checkHostBudget } from './host-budget.js';
import type { ProgressOptions, ProgressSink } from './progress.js';
import { claimSetDirectory, prepareSetDirectory, writeManifest } from './result-set.js';
import { planSchedule } from './schedule.js';
import { openSetDatabase, runnableWorkloads } from './set-database.js';
import { freshManifest, resumeManifest, type SetInputs } from './set-manifest.js';
import { runAdaptiveRounds, runSetRound, type SetRounds } from './set-rounds.js';
import { stackEntries } from './stack-entries.js';

export interface MatrixOptions extends SetInputs {
  port: number;
  /** Driver hosts' load (remote topology); default: this process runs the load. */
  load?: RunContext['load'];
  loadLeadMs?: number;
  /** An A/B set (`bench:ab`): every stack as `STACK@base` and `STACK@head`. */
  ab?: AbInput;
  /** The db workload's PostgreSQL named in the hosts file (remote topology). */
  namedDatabase?: NamedDatabase;
  signal: AbortSignal;
  progress: (
    plan: Pick<ProgressOptions, 'windows' | 'rounds' | 'windowS' | 'roundS' | 'budgetS'>,
  ) => ProgressSink;
}

export interface MatrixOutcome {
  dir: string;
  manifest: Manifest;
}

/** Planned seconds of one window: its warm-up, the measured part, the pause, some overhead. */
export function plannedWindowSeconds(s: Manifest['profile']['settings']): number {
  return s.cycleWarmupS + s.durationS + s.pauseS + 0.2;
}

type Settings = Manifest['profile']['settings'];

/** A value no config can hold (a line break in a path, a bad app) is exit 2 before any load. */
async function checkInputs(
  opts: MatrixOptions,
  stacks: StackDefinition[],
  settings: Settings,
): Promise<void> {
  for (const stack of stacks) {
    const values = {
      ...workspaceValues(whereOf(opts, stack), stack.runtime),
      ...sessionValues(settings, 1, 1, ''),
    };
    checkStackRender(stack, values, {
      ...settings.appEnv,
      ...stack.appEnv,
    });
  }
  if (opts.port !== 0) {
    if (settings.interleave && stacks.length > 1) {
      throw new ProfileError(
        `--port ${opts.port}: interleaved rounds run ${stacks.length} stacks side by side, each on a port of its own; use --port 0, one stack, or --sequential`,
      );
    }
    if (!(await opts.target.portFree(opts.port))) throw new PortBusyError(opts.port);
  }
}

/** The rounds still to run: planned for every measurable stack (so a resume replays the same order), minus what is done. */
function remainingRounds(
  stacks: StackDefinition[],
  manifest: Manifest,
  entries: Map<string, ManifestStack>,
  results: Map<string, StackResult>,
) {
  const settings = manifest.profile.settings;
  const pending = (name: string) => entries.get(name)?.status === 'pending';
  const done = (name: string, round: number) =>
    results.get(name)?.runs.some((run) => run.round === round) ?? false;
  return planSchedule({
    stacks: stacks.filter((s) => entries.get(s.name)?.status !== 'skipped').map((s) => s.name),
    levels: profileLevels(settings),
    connections: settings.connections,
    workloads: runnableWorkloads(settings, manifest.database),
    ...(settings.workloadCycles ? { workloadLevels: settings.workloadCycles } : {}),
    samples: settings.samples,
    interleave: settings.interleave,
    seed: manifest.method.seed,
    ...(manifest.ab ? { couples: abCouples(manifest.ab) } : {}),
  })
    .map((round) => ({
      ...round,
      stacks: round.stacks.filter((s) => pending(s) && !done(s, round.round)),
    }))
    .filter((round) => round.stacks.length > 0);
}

export async function runMatrix(opts: MatrixOptions): Promise<MatrixOutcome> {
  const host = await opts.target.hostFacts();
  const resumed = opts.resume ? resumeManifest(opts, host.slug) : null;
  const fresh = resumed ? null : await freshManifest(opts, host);
  const manifest = resumed?.manifest ?? (fresh?.manifest as Manifest);
  const settings = manifest.profile.settings;
  // each (stack, runtime) pair of the set is a unit, measured and recorded as one stack; a twin
  // is one more
  let units = withTwin(
    await stackUnits(loadStacks(opts.stacksDir, settings.stacks), settings.runtimes, opts.root),
    settings.twin,
  );
  if (opts.ab) {
    if (settings.twin) throw new AbError('an A/B set has no twin: its head is the changed copy');
    if (!settings.interleave) {
      throw new AbError(
        `profile ${manifest.profile.name} runs one stack at a time (interleave = false): an A/B set needs base and head in the same rounds; choose an interleaved profile`,
      );
    }
    if (!resumed) manifest.ab = abRecord(opts.ab, units);
    units = withAb(units, opts.ab, opts.root);
  }
  const stacks = units.map((u) => u.stack);
  const write = (line: string) => process.stderr.write(`${line}\n`);
  const [asked, driverHere] = [fresh?.interleaveAsked ?? settings.interleave, !opts.load];
  // what runs: a unit skipped for its runtime takes nothing
  const running = units.filter((u) => !u.skip).map((u) => u.stack);
  await checkHostBudget({
    ...opts,
    ...{ manifest, stacks: running, asked, resumed: !!resumed, driverHere, write },
  });
  await checkInputs(opts, stacks, settings);
  // the host's load of the second before: only once the inputs are known to be good
  if (!resumed) manifest.host.loadBefore = await opts.target.hostLoad();
  let dir: string;
  if (resumed) {
    dir = resumed.dir;
    prepareSetDirectory(dir);
  } else {
    ({ dir, setId: manifest.setId } = claimSetDirectory(opts.outRoot, host.slug, manifest.setId));
  }

  const { results, entries } = await stackEntries(opts, units, manifest, dir);
  if (settings.adaptive && !manifest.method.adaptive) {
    manifest.method.adaptive = {
      initialSamples: settings.samples,
      budgetS: settings.adaptive.budgetS,
      targetResolutionPct: settings.adaptive.targetResolutionPct,
      maxSamples: settings.adaptive.maxSamples,
      spentS: 0,
      rounds: [],
      stopped: null,
    };
  }
  const save = () => {
    manifest.stacks = stacks.map((s) => entries.get(s.name) as ManifestStack);
    // an adaptive set is complete once its sampling has stopped, not after the first K rounds
    manifest.complete =
      manifest.stacks.every((s) => s.status !== 'pending') &&
      (!manifest.method.adaptive || manifest.method.adaptive.stopped !== null);
    manifest.endedAt = manifest.complete ? new Date().toISOString() : null;
    writeManifest(dir, manifest);
  };
  // the driver's ceiling, the pinning, the app's service time, the threads the profile needs;
  // nothing of it when every stack was skipped (no process is started for a set that loads none)
  if ([...entries.values()].some((e) => e.status !== 'skipped')) {
    await beforeLoad(opts, manifest, (line) => process.stderr.write(`${line}\n`));
  }
  const database = await openSetDatabase(settings, {
    stacks: settings.interleave ? stacks.length : 1,
    remote: opts.topology !== undefined,
    ...(opts.namedDatabase ? { named: opts.namedDatabase } : {}),
    signal: opts.signal,
    note: write,
  });
  if (database) manifest.database = database.record;
  save();
  try {
    await runRounds(
      opts,
      { dir, manifest, stacks, results, entries, save },
      database?.service ?? undefined,
    );
  } finally {
    await database?.stop();
  }
  if (opts.signal.aborted) throw new InterruptedError(dir);
  save();
  await buildReport(dir);
  // what a pull request reviewer reads first: the change against the newest comparable set,
  // and the index of every set
  writeSetCompare(dir, opts.outRoot);
  writeResultsIndex(opts.outRoot);
  return { dir, manifest };
}

/** The set's rounds: the planned ones still to run, then the adaptive ones. */
async function runRounds(
  opts: MatrixOptions,
  set: Pick<SetRounds, 'dir' | 'manifest' | 'results' | 'entries' | 'save'> & {
    stacks: StackDefinition[];
  },
  database: RunContext['database'] | undefined,
): Promise<void> {
  const { dir, manifest, stacks, results, entries, save } = set;
  const settings = manifest.profile.settings;

  const pending = (name: string) => entries.get(name)?.status === 'pending';
  const plan = remainingRounds(stacks, manifest, entries, results);
  const windows = plan.reduce(
    (n, r) => n + r.windows.filter((w) => r.stacks.includes(w.stack)).length,
    0,
  );
  const progress = opts.progress({
    windows,
    rounds: plan.length,
    windowS: plannedWindowSeconds(settings),
    roundS: 5 + plannedWarmupS(settings) * (settings.interleave ? stacks.length : 1),
    ...(manifest.method.adaptive
      ? { budgetS: manifest.method.adaptive.budgetS - manifest.method.adaptive.spentS }
      : {}),
  });
  const ctx: RunContext = {
    target: opts.target,
    root: opts.root,
    stacksDir: opts.stacksDir,
    settings,
    placement: manifest.placement,
    port: opts.port,
    signal: opts.signal,
    progress,
    ...(opts.load ? { load: opts.load, loadLeadMs: opts.loadLeadMs ?? 0 } : {}),
    ...(database ? { database } : {}),
  };
  const byName = new Map(stacks.map((s) => [s.name, s]));
  const rounds: SetRounds = {
    dir,
    manifest,
    ctx,
    results,
    entries,
    byName,
    position: 0,
    save,
    totalRounds: manifest.method.interleave ? settings.samples : stacks.length,
  };
  for (const round of plan) {
    if (opts.signal.aborted) break;
    if (round.stacks.filter((name) => pending(name)).length === 0) continue;
    await runSetRound(rounds, round);
  }
  if (!opts.signal.aborted && manifest.method.adaptive) await runAdaptiveRounds(rounds);
}
