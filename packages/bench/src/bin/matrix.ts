import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { formatHelp, parseCommandLine, runCli, UsageError, workspaceRoot } from '@stackbench/cli';
import { StacksDirError } from '../errors.js';
import { matrixCommand, matrixOptions } from '../options.js';
import { profilesHelp } from '../profile/profiles.js';
import { setOverrides } from '../profile/set-flags.js';
import { cleanStaleRunDirs } from '../session/run-dir.js';
import { runMatrix } from '../set/matrix.js';
import { createProgress } from '../set/progress.js';
import { newSeed } from '../set/schedule.js';
import { localTarget } from '../targets/local/local-target.js';
import { type HostsFile, readHostsFile } from '../targets/ssh/hosts-file.js';
import { openRemote, type RemoteSetup } from '../targets/ssh/remote-setup.js';
import { abortOnSignals } from './interrupt.js';

await runCli('stackbench-matrix', async (argv) => {
  const { options, positionals, help } = parseCommandLine(matrixOptions, argv);
  // the workspace: stacks start packages' bins and resolve the app from here
  const root = workspaceRoot();
  if (help) {
    const epilog = `${profilesHelp(resolve(options.stacksDir), root)}\n\n${matrixCommand.epilog}`;
    process.stdout.write(formatHelp({ ...matrixCommand, epilog }, matrixOptions));
    return 0;
  }
  if (positionals.length) throw new UsageError(`unexpected argument ${positionals[0]}; see --help`);
  const { overrides, overridesText } = setOverrides(options);
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
  // --hosts: every host provisioned at this commit (a no-op when it is), before any load
  let remote: RemoteSetup | null = null;
  let hosts: HostsFile | null = null;
  if (options.hosts !== undefined) {
    hosts = readHostsFile(resolve(options.hosts));
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
      ? {
          topology: remote.topology,
          load: remote.load,
          loadLeadMs: remote.loadLeadMs,
          driverCeilings: remote.driverCeilings,
        }
      : {}),
    ...(hosts?.database ? { namedDatabase: hosts.database } : {}),
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
