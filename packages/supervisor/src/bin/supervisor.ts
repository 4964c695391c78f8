/** `stackbench-supervisor CONFIG.ini`: the daemon. */
import { formatHelp, parseCommandLine, runCli, UsageError } from '@stackbench/cli';
import { loadConfig } from '../config/load.js';
import { formatEvent } from '../events.js';
import { supervisorCommand, supervisorOptions } from '../options.js';
import { findSetpriv } from '../orphan-guard.js';
import { Supervisor } from '../supervisor.js';

const log = (line: string) => process.stdout.write(`stackbench-supervisor: ${line}\n`);

await runCli('stackbench-supervisor', async (argv) => {
  const { options, positionals, help } = parseCommandLine(supervisorOptions, argv);
  if (help) {
    process.stdout.write(formatHelp(supervisorCommand, supervisorOptions));
    return 0;
  }
  if (positionals.length !== 1) {
    throw new UsageError(`expected exactly one CONFIG.ini, got ${positionals.length}`);
  }
  const config = loadConfig(positionals[0] as string);
  if (options.check) {
    log(
      `${config.file}: ok (${config.watchers.length} watchers, ${config.sockets.length} sockets)`,
    );
    return 0;
  }
  if (!findSetpriv()) {
    log('warning: setpriv not found: workers are not killed if the supervisor is SIGKILLed');
  }
  const supervisor = await Supervisor.start(config, {
    onEvent: options.quiet ? undefined : (event) => log(formatEvent(event)),
  });
  for (const socket of supervisor.sockets) {
    log(
      `socket ${socket.config.name} listening on ${socket.address} (backlog ${socket.config.backlog})`,
    );
  }
  const { dashboard, tokenFile } = config.supervisor;
  log(`pid ${process.pid}, endpoint ${supervisor.endpoint}, token file ${tokenFile}`);
  if (dashboard)
    log(
      `dashboard address ${dashboard.host}:${dashboard.port} (URL with token: stackbench-ctl dashboard)`,
    );
  const stop = (signal: string) => {
    log(`${signal}: stopping`);
    void supervisor.shutdown(signal);
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGHUP', () => {
    log('SIGHUP: reloading');
    supervisor.execute({ command: 'reload' }).catch((error: Error) => log(error.message));
  });
  await supervisor.done;
  log('stopped');
  return 0;
});
