/** stackbench-bun-serve: an app's fetch face on Bun.serve. Runs on Bun. */
import { runCli } from '@stackbench/cli';
import { bunListen } from '../bun-listen.js';
import { WrongRuntimeError } from '../errors.js';
import { runNativeServer } from '../native-server.js';
import { bunGlobal, runningRuntime } from '../runtime-globals.js';

const entry = 'stackbench-bun-serve';
await runCli(entry, (argv) => {
  if (!bunGlobal()) throw new WrongRuntimeError(entry, 'Bun', runningRuntime());
  return runNativeServer({ entry, server: 'Bun.serve', listen: bunListen }, argv);
});
// the server's handles would otherwise keep the process up after a graceful close
process.exit(process.exitCode ?? 0);
