/**
 * `stackbench-provision --hosts FILE [--json]` (nx run bench:provision): ships the workspace at
 * the current commit to every host of the hosts file and builds it there (targets/ssh/provision.ts);
 * prints each host's workspace and facts. Exit 2 for a bad hosts file or a host that lacks
 * something (the message says what and how to fix it).
 */
import { resolve } from 'node:path';
import { formatHelp, parseCommandLine, runCli, UsageError, workspaceRoot } from '@stackbench/cli';
import { readHostsFile } from '../targets/ssh/hosts-file.js';
import { provisionHosts } from '../targets/ssh/provision.js';
import { provisionCommand, provisionOptions } from '../targets/ssh/provision-options.js';
import { shippableCommit } from '../targets/ssh/remote-setup.js';

await runCli('stackbench-provision', async (argv) => {
  const { options, positionals, help } = parseCommandLine(provisionOptions, argv);
  if (help) {
    process.stdout.write(formatHelp(provisionCommand, provisionOptions));
    return 0;
  }
  if (positionals.length) throw new UsageError(`unexpected argument ${positionals[0]}; see --help`);
  if (options.hosts === undefined) throw new UsageError('--hosts FILE is required; see --help');
  const hosts = readHostsFile(resolve(options.hosts));
  const root = workspaceRoot();
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const commit = await shippableCommit(root, log);
  const done = await provisionHosts(hosts, { root, commit, log });
  const all = [done.target, ...done.drivers];
  for (const ws of all) {
    const f = ws.facts;
    process.stdout.write(
      options.json
        ? `${JSON.stringify({ name: ws.host.entry.name, workspace: ws.root, provisioned: ws.provisioned, facts: f, tunables: ws.facts.tunables ?? {} })}\n`
        : `${ws.host.label}: ${ws.provisioned}, ${ws.root}; ${f.cpuModel}, ${f.cores} cores, ${f.memoryMb} MB, Linux ${f.kernel}, Node ${f.node}, somaxconn ${f.somaxconn ?? 'n/a'}, open files ${f.openFileLimit ?? 'n/a'}\n`,
    );
  }
  await Promise.all(all.map((ws) => ws.host.close()));
  return 0;
});
