/**
 * The benchmark scripts' command line: each script declares an option table (`@stackbench/cli`),
 * gets typed values, `--help` from the table, and bad input answered with the flag named and
 * exit code 2, as every stackbench CLI does.
 */
import {
  formatHelp,
  type OptionTable,
  type OptionValues,
  parseCommandLine,
  StackbenchError,
} from '@stackbench/cli';

export function parseScriptOptions<T extends OptionTable>(
  script: string,
  summary: string,
  table: T,
): OptionValues<T> {
  try {
    const parsed = parseCommandLine(table, process.argv.slice(2));
    if (parsed.help) {
      process.stdout.write(formatHelp({ usage: `npm run ${script} -- [options]`, summary }, table));
      process.exit(0);
    }
    if (parsed.positionals.length > 0) {
      throw new StackbenchError('USAGE', `unexpected argument: ${parsed.positionals.join(' ')}`, {
        exitCode: 2,
      });
    }
    return parsed.options;
  } catch (error) {
    if (!(error instanceof StackbenchError)) throw error;
    process.stderr.write(`${script}: ${error.message}\n`);
    process.exit(error.exitCode);
  }
}

/** The length of each measurement, in seconds (`1.5`, or `1500ms`), more than 0. */
export function secondsOption(defaultS: number, description: string) {
  return {
    type: 'number',
    min: 0,
    exclusiveMin: true,
    seconds: true,
    default: defaultS,
    description,
  } as const;
}
