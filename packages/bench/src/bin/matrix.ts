import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatHelp, parseCommandLine, runCli, UsageError } from '@stackbench/cli';
import { parseCycles } from '@stackbench/loadgen';
import type { ConnectionMode } from '@stackbench/result';
import { StacksDirError } from '../errors.js';
import { localTarget } from '../local-target.js';
import { runMatrix } from '../matrix.js';
import { matrixCommand, matrixOptions } from '../options.js';
import { CONNECTION_MODES, runtimesProblem } from '../profiles.js';
import { createProgress } from '../progress.js';
import { readHostsFile } from '../remote/hosts-file.js';
import { openRemote, type RemoteSetup } from '../remote/remote-setup.js';
import { cleanStaleRunDirs } from '../run-dir.js';
import { newSeed } from '../schedule.js';
import { setOverrides } from '../set-flags.js';
import { parseTwin } from '../twin.js';
import { abortOnSignals } from './interrupt.js';

await runCli('stackbench-matrix', async (argv) => {
  const { options, positionals, help } = parseCommandLine(matrixOptions, argv);
  if (help) {
    process.stdout.write(formatHelp(matrixCommand, matrixOptions));
    return 0;
  }
  if (positionals.length) throw new UsageError(`unexpected argument ${positionals[0]}; see --help`);
  const { overrides, overridesText } = setOverrides(options);
  if (options.runtimes !== undefined) {
    const names = options.runtimes.split(',').map((r) => r.trim());
    const problem = runtimesProblem(names);
    if (problem) throw new UsageError(`--runtimes ${options.runtimes}: ${problem}`);
    overrides.runtimes = names;
    overridesText.runtimes = options.runtimes;
  }
  if (options.cycles !== undefined) {
    try {
      overrides.cycles = parseCycles(options.cycles.replace(/,/g, ':'));
    } catch (error) {
      throw new UsageError(`--cycles ${options.cycles}: ${(error as Error).message}`);
    }
    overridesText.cycles = options.cycles;
  }
  if (options.duration !== undefined) {
    overrides.durationS = options.duration;
    overridesText.duration = String(options.duration);
  }
  if (options.workers !== undefined) {
    overrides.workers = options.workers;
    overridesText.workers = String(options.workers);
  }
  if (options.connections !== undefined) {
    const modes = options.connections.split(',').map((m) => m.trim());
    const bad = modes.filter((m) => !(CONNECTION_MODES as readonly string[]).includes(m));
    if (bad.length || modes.length === 0 || new Set(modes).size !== modes.length) {
      throw new UsageError(
        `--connections ${options.connections}: give keep-alive and/or close, comma-separated, each once`,
      );
    }
    overrides.connections = modes as ConnectionMode[];
    overridesText.connections = options.connections;
  }
  if (options.twin !== undefined) {
    overrides.twin = parseTwin(options.twin);
    overridesText.twin = options.twin;
  }
  if (options.sequential) {
    overrides.interleave = false;
    overridesText.sequential = 'true';
  }
  const stacksDir = resolve(options.stacksDir);
  const stat = statSync(stacksDir, { throwIfNoEntry: false });
  if (!stat?.isDirectory()) {
    throw new StacksDirError(stacksDir, stat ? 'is not a directory' : 'does not exist');
  }
  // What a killed earlier run left behind (its orchestrator is gone): removed before we start.
  for (const dir of cleanStaleRunDirs()) process.stderr.write(`removed stale run dir ${dir}\n`);
  // the first signal stops the stack in progress; exit hooks still kill the stack's groups and
  // remove the run's temp dir (run-dir.ts)
  const controller = abortOnSignals('stackbench-matrix', 'stopping the stack in progress');
  const tty = process.stderr.isTTY === true && !options.plain;
  // the workspace: stacks start packages' bins and resolve the app from here
  const root = resolve(fileURLToPath(import.meta.url), '../../../../../..');
  // --hosts: every host provisioned at this commit (a no-op when it is), before any load
  let remote: RemoteSetup | null = null;
  if (options.hosts !== undefined) {
    const hosts = readHostsFile(resolve(options.hosts));
    remote = await openRemote(hosts, root, (line) => process.stderr.write(`${line}\n`));
  }
  const outcome = await runMatrix({
    root,
    stacksDir,
    outRoot: resolve(options.out),
    profile: options.profile,
    overrides,
    overridesText,
    port: options.port,
    seed: options.seed ?? newSeed(),
    resume: options.resume,
    target: remote?.target ?? localTarget,
    ...(remote
      ? { topology: remote.topology, load: remote.load, loadLeadMs: remote.loadLeadMs }
      : {}),
    signal: controller.signal,
    progress: (plan) => createProgress({ ...plan, tty, write: (t) => process.stderr.write(t) }),
  });
  await remote?.close();
  process.stdout.write(`${outcome.dir}\n`);
  const failed = outcome.manifest.stacks.filter((s) => s.status === 'failed');
  const skipped = outcome.manifest.stacks.filter((s) => s.status === 'skipped');
  for (const s of skipped) process.stderr.write(`skipped ${s.name}: ${s.reason}\n`);
  for (const s of failed) process.stderr.write(`FAILED ${s.name}: ${s.reason}\n`);
  return failed.length ? 1 : 0;
});
