/**
 * The one place where errors become exit codes: a `StackbenchError` prints its message (no stack)
 * and exits with its code; anything else is a bug and prints the stack with exit code 1.
 */
import { StackbenchError } from './errors.js';

export type CliMain = (argv: string[]) => Promise<number | undefined> | number | undefined;

export async function runCli(command: string, main: CliMain): Promise<void> {
  try {
    const code = await main(process.argv.slice(2));
    if (code !== undefined) process.exitCode = code;
  } catch (error) {
    if (error instanceof StackbenchError) {
      process.stderr.write(`${command}: ${error.message}\n`);
      process.exitCode = error.exitCode;
    } else {
      process.stderr.write(`${command}: unexpected error (a bug, please report it)\n`);
      process.stderr.write(
        `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
      );
      process.exitCode = 1;
    }
  }
}
