/** `stackbench-prefork`: parse, validate, run the master until a signal stops it. */
import { formatHelp, parseCommandLine, runCli } from '@stackbench/cli';
import { resolveConfig } from '../config.js';
import { preforkCommand, preforkOptions } from '../options.js';
import { runPrefork } from '../run-prefork.js';

await runCli('stackbench-prefork', async (argv) => {
  const parsed = parseCommandLine(preforkOptions, argv);
  if (parsed.help) {
    process.stdout.write(formatHelp(preforkCommand, preforkOptions));
    return 0;
  }
  await runPrefork(resolveConfig(parsed.options, parsed.positionals));
  return 0;
});
