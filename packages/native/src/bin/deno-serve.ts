/** stackbench-deno-serve: an app's fetch face on Deno.serve. Runs on Deno (--allow-all). */
import { runCli } from '@stackbench/cli';
import { denoListen } from '../deno-listen.js';
import { WrongRuntimeError } from '../errors.js';
import { runNativeServer } from '../native-server.js';
import { denoGlobal, runningRuntime } from '../runtime-globals.js';

const entry = 'stackbench-deno-serve';
await runCli(entry, (argv) => {
  if (!denoGlobal()) throw new WrongRuntimeError(entry, 'Deno', runningRuntime());
  return runNativeServer({ entry, server: 'Deno.serve', listen: denoListen }, argv);
});
// the server's handles would otherwise keep the process up after a graceful close
process.exit(process.exitCode ?? 0);
