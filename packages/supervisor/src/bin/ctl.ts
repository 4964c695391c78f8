/** `stackbench-ctl COMMAND [WATCHER] [N]`: the control client (circusctl). */
import { formatHelp, parseCommandLine, runCli, UsageError } from '@stackbench/cli';
import { requestFromArgv } from '../commands/index.js';
import { parseEndpoint } from '../config/addresses.js';
import { loadConfig } from '../config/load.js';
import type { Endpoint } from '../config/types.js';
import { ControlClient } from '../control/client.js';
import { render } from '../ctl/render.js';
import { dashboardCommand, readToken } from '../dashboard/ctl-url.js';
import { EndpointUnreachableError } from '../errors.js';
import { formatEvent } from '../events.js';
import { ctlCommand, ctlOptions } from '../options.js';

function locate(options: { endpoint?: string; config?: string; tokenFile?: string }): {
  endpoint: Endpoint;
  tokenFile: string | undefined;
} {
  const config = options.config ? loadConfig(options.config) : undefined;
  let endpoint = config?.supervisor.endpoint;
  if (options.endpoint !== undefined) {
    const parsed = parseEndpoint(options.endpoint, `${process.cwd()}/ctl`);
    if (typeof parsed === 'string') throw new UsageError(`--endpoint: ${parsed}`);
    endpoint = parsed;
  }
  if (!endpoint) {
    throw new UsageError(
      'no endpoint: give --endpoint PATH (the supervisor prints it at start; by default CONFIG.sock beside CONFIG.ini) or --config CONFIG.ini',
    );
  }
  return { endpoint, tokenFile: options.tokenFile ?? config?.supervisor.tokenFile };
}

await runCli('stackbench-ctl', async (argv) => {
  const { options, positionals, help } = parseCommandLine(ctlOptions, argv);
  if (help || positionals.length === 0) {
    process.stdout.write(formatHelp(ctlCommand, ctlOptions));
    return help ? 0 : 2;
  }
  const [name, ...rest] = positionals as [string, ...string[]];
  // `dashboard` is not a control command: it prints the page's URL with the token.
  if (name === 'dashboard') {
    process.stdout.write(`${await dashboardCommand(locate(options), rest, options.json)}\n`);
    return 0;
  }
  const request = requestFromArgv(name, rest);
  const { endpoint, tokenFile } = locate(options);
  const token = endpoint.kind === 'tcp' && tokenFile ? readToken(tokenFile) : undefined;
  const client = await ControlClient.connect(endpoint, { token });
  if (request.command === 'events') {
    await new Promise<void>((resolve, reject) => {
      client.onClose = resolve;
      client
        .stream(request, (item) => {
          if (!('event' in item)) return;
          process.stdout.write(
            `${options.json ? JSON.stringify(item.event) : formatEvent(item.event)}\n`,
          );
        })
        .catch(reject);
      process.once('SIGINT', () => {
        client.close();
        resolve();
      });
    });
    return 0;
  }
  const timer = setTimeout(() => {
    process.stderr.write(
      `stackbench-ctl: ${new EndpointUnreachableError(client.endpoint, `no answer within ${options.timeout} s`).message}\n`,
    );
    process.exit(1);
  }, options.timeout * 1000);
  try {
    const result = await client.request(request);
    process.stdout.write(
      `${options.json ? JSON.stringify(result, null, 2) : render(request.command, result)}\n`,
    );
    return 0;
  } finally {
    clearTimeout(timer);
    client.close();
  }
});
