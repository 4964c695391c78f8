import { resolve } from 'node:path';
import { formatHelp, parseCommandLine, runCli, workspaceRoot } from '@stackbench/cli';
import { RUNTIME_NAMES } from '../catalog.js';
import { runtimesCommand, runtimesOptions } from '../options.js';
import { resolveRuntimes } from '../resolve.js';

await runCli('stackbench-runtimes', async (argv) => {
  const { options, positionals, help } = parseCommandLine(runtimesOptions, argv);
  if (help) {
    process.stdout.write(formatHelp(runtimesCommand, runtimesOptions));
    return 0;
  }
  const root = resolve(options.root ?? workspaceRoot());
  const names = positionals.length ? positionals : [...RUNTIME_NAMES];
  const found = await resolveRuntimes(root, names);
  const rows = [...found.entries()].map(([name, r]) =>
    r instanceof Error ? { name, problem: r.message } : r,
  );
  if (options.json) process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
  else {
    for (const row of rows) {
      process.stdout.write(
        'problem' in row
          ? `${row.name}\tMISSING\t${row.problem}\n`
          : `${row.name}\t${row.version}\t${row.binary}\t${row.source}\n`,
      );
    }
  }
  return rows.some((r) => 'problem' in r) ? 1 : 0;
});
